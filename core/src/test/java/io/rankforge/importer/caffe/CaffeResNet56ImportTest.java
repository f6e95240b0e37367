package io.rankforge.importer.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.importer.ImportedModel;
import io.rankforge.model.LayerSpec;
import io.rankforge.spectrum.Scheme;
import io.rankforge.testing.ReferenceData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The paper's own ResNet-56 (Caffe) imports and runs. */
class CaffeResNet56ImportTest {
    private static ImportedModel imported;
    private static ComputationGraph graph;

    @BeforeAll
    static void load() {
        Path model = ReferenceData.reference("enc/res56/res56.caffemodel");
        imported = CaffeImporter.load(model, null); // train_val_test.prototxt is the only .prototxt beside it
        graph = (ComputationGraph) imported.network();
    }

    @Test
    void inputIsA32x32ColourImage() {
        assertEquals(InputType.convolutional(32, 32, 3), imported.inputType());
    }

    @Test
    void keepsCaffeLayerNamesAndAllConvolutions() {
        List<String> convs = Arrays.stream(graph.getVertices())
                .filter(v -> v.hasLayer() && v.getLayer().conf().getLayer() instanceof ConvolutionLayer)
                .map(v -> v.getVertexName())
                .toList();
        assertEquals(57, convs.size(), convs.toString());
        assertTrue(convs.contains("first_conv"));
        assertTrue(convs.contains("group1_block0_proj"));
        assertTrue(convs.contains("group2_block8_conv1"));
        assertTrue(graph.getVertex("fc") != null && graph.getVertex("softmax") != null);
        assertEquals(List.of("softmax"), graph.getConfiguration().getNetworkOutputs());
        assertEquals(
                InputType.feedForward(10),
                graph.getConfiguration()
                        .getLayerActivationTypes(imported.inputType())
                        .get("softmax"));
    }

    /**
     * The 55 convolutions of the reference Net_def.txt (projection shortcuts excluded), in Caffe's order:
     * in-channels, out-channels, output size, kernel and r_max (channel scheme for the first, spatial
     * for the others) equal the paper's table.
     */
    @Test
    void convolutionShapesMatchTheReferenceNetDef() throws java.io.IOException {
        List<double[]> rows =
                java.nio.file.Files.readAllLines(ReferenceData.reference("enc/res56/Net_def.txt")).stream()
                        .filter(l -> !l.isBlank())
                        .map(l -> Arrays.stream(l.trim().split("\\s+"))
                                .mapToDouble(Double::parseDouble)
                                .toArray())
                        .toList();
        Map<String, InputType> types = graph.getConfiguration().getLayerActivationTypes(imported.inputType());
        List<String> convs = new java.util.ArrayList<>();
        graph.getConfiguration().getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof ConvolutionLayer
                    && !name.contains("proj")) {
                convs.add(name);
            }
        });
        assertEquals(rows.size(), convs.size());
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            String name = convs.get(i);
            ConvolutionLayer conv =
                    (ConvolutionLayer) graph.getLayer(name).conf().getLayer();
            InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) types.get(
                    graph.getConfiguration().getVertexInputs().get(name).get(0));
            InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) types.get(name);
            LayerSpec spec = LayerSpec.convolution(
                    name,
                    (int) conv.getNIn(),
                    (int) conv.getNOut(),
                    conv.getKernelSize()[0],
                    conv.getKernelSize()[1],
                    conv.getStride()[0],
                    conv.getStride()[1],
                    conv.getPadding()[0],
                    conv.getPadding()[1],
                    (int) in.getHeight(),
                    (int) in.getWidth(),
                    (int) out.getHeight(),
                    (int) out.getWidth(),
                    conv.hasBias());
            String where = "Net_def row " + (i + 1) + " vs " + name;
            assertEquals((int) row[0], spec.inChannels(), where);
            assertEquals((int) row[2], spec.outChannels(), where);
            assertEquals((int) row[4], spec.outH(), where);
            assertEquals((int) row[5], spec.kernelH(), where);
            assertEquals((int) row[1], Scheme.defaultFor(spec, i == 0).rMax(spec), where);
        }
    }

    /** Saved as a DL4J .zip and restored, the imported graph computes the same outputs. */
    @Test
    void survivesADl4jZipRoundTrip(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path zip = dir.resolve("res56.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(graph, zip.toFile(), false);
        ComputationGraph restored =
                org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        Nd4j.getRandom().setSeed(11);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray expected = graph.outputSingle(images);
        assertTrue(expected.equalsWithEps(restored.outputSingle(images), 1e-6));
    }

    @Test
    void forwardPassGivesAProbabilityDistributionPerImage() {
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32); // pixels in [0, 1]
        INDArray p = graph.outputSingle(images);
        assertEquals(List.of(4L, 10L), Arrays.stream(p.shape()).boxed().toList());
        for (int i = 0; i < 4; i++) {
            INDArray row = p.getRow(i);
            assertEquals(1.0, row.sumNumber().doubleValue(), 1e-5);
            assertTrue(row.minNumber().doubleValue() >= 0.0);
        }
        // different images, different predictions: the weights are really there
        assertTrue(p.getRow(0).sub(p.getRow(1)).norm1Number().doubleValue() > 1e-4);
    }
}
