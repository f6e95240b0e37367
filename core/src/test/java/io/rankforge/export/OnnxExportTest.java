package io.rankforge.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.RankChoice;
import io.rankforge.decompose.TestNetworks;
import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.eval.Evaluator;
import io.rankforge.model.LoadedModel;
import io.rankforge.testing.PythonTools;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Export → onnxruntime: every zoo network, original and decomposed, and the decomposer's test networks (DL4J's Same
 * mode with asymmetric padding, dropout, a residual block), give onnxruntime's outputs equal to DL4J's within 1e-4
 * (relative to the largest output) on real Fashion-MNIST test images.
 */
class OnnxExportTest {
    /** Real training images per zoo network: brief, but weights are trained and BN statistics estimated. */
    private static final int TRAIN_IMAGES = 384;

    /** The larger zoo networks (up to 96 M multiply-accumulates per image) train on one small batch only. */
    private static final int LARGE_TRAIN_IMAGES = 32;

    private static final Set<ZooArchitecture> SMALL =
            Set.of(ZooArchitecture.LENET5, ZooArchitecture.VGG_MINI, ZooArchitecture.RESNET_20);

    private static final int PROBES = 64;

    @Test
    void zooNetworksOriginalAndDecomposedMatchOnnxRuntime(@TempDir Path tmp) throws IOException {
        INDArray images = TestNetworks.test(PROBES).features();
        for (ZooArchitecture arch : ZooArchitecture.values()) {
            int train = SMALL.contains(arch) ? TRAIN_IMAGES : LARGE_TRAIN_IMAGES;
            Model net = ZooTrainer.fit(arch, TestNetworks.train(train), 1, 3, s -> {});
            check(arch.id(), net, arch.inputType(), images, tmp);

            Decomposer d = Decomposer.withDefaultSchemes(net, arch.inputType());
            RankConfiguration rmax = RankChoice.resolve(RankChoice.RMAX, d.plan());
            Model low = d.decompose(rmax);
            BatchNormRecalibration.recalibrate(low, TestNetworks.train(Math.min(200, train)));
            Path onnx = check(arch.id() + "-decomposed", low, arch.inputType(), images, tmp);
            assertTrue(onnx.toFile().length() > 0);
        }
    }

    @Test
    void sameModeDropoutAndResidualTestNetworksMatchOnnxRuntime(@TempDir Path tmp) throws IOException {
        INDArray images = TestNetworks.test(PROBES).features();
        check("test-multilayer", TestNetworks.multiLayer(), TestNetworks.INPUT, images, tmp);
        check("test-graph", TestNetworks.graph(), TestNetworks.INPUT, images, tmp);
    }

    @Test
    void exportedGraphUsesTheStandardOperatorsAndNamesNodesAfterLayers(@TempDir Path tmp) {
        Model net = ZooArchitecture.RESNET_20.build(1);
        LoadedModel loaded =
                new LoadedModel(net, ZooArchitecture.RESNET_20.inputType(), "0", tmp.resolve("r.zip"), null);
        OnnxExporter.Result r = OnnxExporter.write(loaded, tmp.resolve("resnet.onnx"));
        assertEquals(
                Set.of(
                        "Add",
                        "BatchNormalization",
                        "Conv",
                        "Flatten",
                        "Gemm",
                        "GlobalAveragePool",
                        "MaxPool",
                        "Relu",
                        "Softmax"),
                r.operators());
        assertEquals("output", r.outputName());
        var model = OnnxExporter.toOnnx(net, ZooArchitecture.RESNET_20.inputType(), "test");
        assertTrue(model.getGraph().getNodeList().stream()
                .anyMatch(n -> n.getName().equals("s2b1_add")));
        assertEquals(OnnxExporter.OPSET, model.getOpsetImport(0).getVersion());
    }

    private static Path check(String what, Model net, InputType input, INDArray images, Path tmp) throws IOException {
        Path onnx = tmp.resolve(what + ".onnx");
        LoadedModel loaded = new LoadedModel(net, input, "test", tmp.resolve(what + ".zip"), null);
        OnnxExporter.Result r = OnnxExporter.write(loaded, onnx);
        INDArray expected = Evaluator.output(net, images);
        INDArray actual = PythonTools.onnxRuntime(onnx, images, tmp, expected.shape());
        double rel = PythonTools.relativeDifference(actual, expected);
        assertTrue(
                rel <= 1e-4,
                what + ": onnxruntime differs from DL4J by " + rel + " (relative); operators " + r.operators());
        assertEquals(
                java.util.Arrays.toString(expected.argMax(1).toIntVector()),
                java.util.Arrays.toString(actual.argMax(1).toIntVector()),
                what + ": predicted classes");
        return onnx;
    }
}
