package io.rankforge.importer.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.decompose.Decomposer;
import io.rankforge.importer.ImportedModel;
import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescription;
import io.rankforge.testing.ReferenceData;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The imported ResNet-56 goes through RankForge's describer and decomposer like any DL4J network. */
class CaffeResNet56DecompositionTest {
    private static ImportedModel imported;
    private static ComputationGraph graph;

    @BeforeAll
    static void load() {
        imported = CaffeImporter.load(ReferenceData.reference("enc/res56/res56.caffemodel"), null);
        graph = (ComputationGraph) imported.network();
    }

    @Test
    void describerSeesAll57ConvolutionsAndTheClassifier() {
        Decomposer d = Decomposer.withDefaultSchemes(graph, imported.inputType());
        NetworkDescription description = d.plan().description();
        List<LayerSpec> convs = description.layers().stream()
                .filter(l -> l.kind() == LayerKind.CONVOLUTION)
                .toList();
        assertEquals(57, convs.size());
        assertEquals("first_conv", convs.get(0).name());
        assertTrue(convs.stream()
                .anyMatch(l -> l.name().equals("group1_block0_proj") && l.kernelH() == 2 && l.strideH() == 2));
        assertEquals(
                "fc", description.layers().get(description.layers().size() - 1).name());
        assertEquals(List.of(), description.unsupported());
    }

    @Test
    void fullRankDecompositionReproducesTheOutputs() {
        Decomposer d = Decomposer.withDefaultSchemes(graph, imported.inputType());
        ComputationGraph full = (ComputationGraph) d.decompose(d.plan().fullRanks());
        assertTrue(full.getConfiguration().getVertices().containsKey("group2_block8_conv1_b"));
        Nd4j.getRandom().setSeed(5);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        Map<String, INDArray> original = graph.feedForward(images, false);
        Map<String, INDArray> decomposed = full.feedForward(images, false);
        // fc itself is now fc_a → fc_b
        assertRelativelyClose(original.get("fc"), decomposed.get("fc_b"), "logits");
        assertRelativelyClose(original.get("softmax"), decomposed.get("softmax"), "probabilities");
    }

    private static void assertRelativelyClose(INDArray expected, INDArray actual, String what) {
        double relative = expected.sub(actual).norm2Number().doubleValue()
                / expected.norm2Number().doubleValue();
        assertTrue(relative <= 1e-4, "relative difference of the " + what + ": " + relative);
    }
}
