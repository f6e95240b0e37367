package io.rankforge.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.RankConfiguration;
import io.rankforge.decompose.Decomposer;
import io.rankforge.eval.Evaluator;
import io.rankforge.export.OnnxExporter;
import io.rankforge.io.Json;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.model.NetworkDescription;
import io.rankforge.testing.PythonTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch CNNs trained briefly on real Fashion-MNIST and exported by {@code torch.onnx.export} (the TorchScript
 * exporter at opsets 13 and 17, the torch.export exporter at opset 18), imported by RankForge: the same outputs as
 * PyTorch within 1e-4 (relative to the largest logit), vertex names from the ONNX node names, decomposable (a
 * full-rank decomposition reproduces the outputs), and exportable back to ONNX.
 */
class OnnxImportTest {
    @Test
    void residualCnnFromTheTorchScriptExporterAtOpset13(@TempDir Path tmp) throws IOException {
        TorchModels m = TorchModels.export("residual", 13, "legacy", tmp);
        assertOperators(
                m,
                "Add",
                "AveragePool",
                "BatchNormalization",
                "Conv",
                "Gemm",
                "MaxPool",
                "Relu",
                "Shape",
                "Gather",
                "Unsqueeze",
                "Concat",
                "Reshape");
        ComputationGraph g = importAndCompare(m, tmp);
        // PyTorch's node names, sanitised: "/block_conv1/Conv" → "block_conv1_Conv"
        for (String v : List.of(
                "conv1_Conv",
                "bn_pool_BatchNormalization",
                "block_conv1_Conv",
                "proj_Conv",
                "Add",
                "pool2_AveragePool",
                "conv3_Conv",
                "Reshape",
                "fc1_Gemm",
                "fc2_Gemm")) {
            assertNotNull(g.getVertex(v), "vertex " + v + " in " + vertexNames(g));
        }
    }

    @Test
    void residualCnnFromTheTorchExportExporterAtOpset18(@TempDir Path tmp) throws IOException {
        TorchModels m = TorchModels.export("residual", 18, "dynamo", tmp);
        assertOperators(m, "Add", "AveragePool", "Conv", "Gemm", "MaxPool", "Relu", "Reshape");
        ComputationGraph g = importAndCompare(m, tmp);

        // torch.export's exporter keeps the weights in model.onnx.data: the digest covers them, and the
        // self-contained form (what Spark executors are sent) holds them, alone in another folder
        Path data = m.onnx().resolveSibling(m.onnx().getFileName() + ".data");
        assertTrue(java.nio.file.Files.isRegularFile(data), "external data written by torch.onnx.export");
        assertTrue(!ModelLoader.load(m.onnx()).sha256().equals(io.rankforge.io.Sha256.of(m.onnx())));
        Path alone = java.nio.file.Files.createDirectories(tmp.resolve("alone")).resolve("model.onnx");
        java.nio.file.Files.write(alone, OnnxFiles.selfContained(m.onnx()));
        INDArray fromAlone = Evaluator.output(ModelLoader.load(alone).model(), m.probes());
        assertEquals(0.0, PythonTools.relativeDifference(fromAlone, Evaluator.output(g, m.probes())), 1e-7);
    }

    @Test
    void globalPoolingAndMatMulCnnAtOpsets17And18(@TempDir Path tmp) throws IOException {
        TorchModels legacy = TorchModels.export("gap", 17, "legacy", tmp);
        assertOperators(legacy, "GlobalAveragePool", "MatMul", "Add", "Flatten", "BatchNormalization", "Softmax");
        ComputationGraph g = importAndCompare(legacy, tmp);
        // the output softmax is a loss layer, so that the imported graph can be fine-tuned
        var softmax = (org.deeplearning4j.nn.conf.graph.LayerVertex)
                g.getConfiguration().getVertices().get("Softmax");
        assertInstanceOf(
                org.deeplearning4j.nn.conf.layers.LossLayer.class,
                softmax.getLayerConf().getLayer());
        assertEquals(List.of("Softmax"), g.getConfiguration().getNetworkOutputs());
        // MatMul + Add of the bias: one dense layer, named after the MatMul, with the bias
        var matMul = g.getConfiguration().getVertices().get("MatMul");
        assertInstanceOf(
                org.deeplearning4j.nn.conf.graph.LayerVertex.class,
                matMul,
                vertexNames(g).toString());
        var dense =
                (org.deeplearning4j.nn.conf.layers.DenseLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) matMul)
                        .getLayerConf()
                        .getLayer();
        assertTrue(dense.hasBias());
        assertTrue(!vertexNames(g).contains("Add"), "the bias Add is folded: " + vertexNames(g));
        TorchModels dynamo = TorchModels.export("gap", 18, "dynamo", tmp);
        assertOperators(dynamo, "ReduceMean", "MatMul", "Add", "Reshape", "Softmax");
        importAndCompare(dynamo, tmp);
    }

    private static ComputationGraph importAndCompare(TorchModels m, Path tmp) throws IOException {
        JsonNode report = Json.parse(m.report(), "torch_cnn.py report");
        assertTrue(report.get("train_accuracy").asDouble() > 0.4, "PyTorch trained the model (chance: 0.1): " + report);
        LoadedModel loaded = ModelLoader.load(m.onnx());
        ComputationGraph g = assertInstanceOf(ComputationGraph.class, loaded.model());
        INDArray ours = Evaluator.output(g, m.probes());
        double rel = PythonTools.relativeDifference(ours, m.torch());
        assertTrue(rel <= 1e-4, m.onnx().getFileName() + ": DL4J differs from PyTorch by " + rel + " (relative)");
        assertEquals(
                java.util.Arrays.toString(m.torch().argMax(1).toIntVector()),
                java.util.Arrays.toString(ours.argMax(1).toIntVector()));

        // decomposable: every convolution and dense layer is compressible, and full rank reproduces the outputs
        NetworkDescription d = NetworkDescriber.describe(g, loaded.inputType());
        assertEquals(List.of(), d.unsupported(), "layers the decomposer cannot handle");
        assertTrue(d.layers().size() >= 4, "compressible layers: " + d.layers());
        Decomposer decomposer = Decomposer.withDefaultSchemes(g, loaded.inputType());
        RankConfiguration full = decomposer.plan().fullRanks();
        INDArray decomposed = Evaluator.output(decomposer.decompose(full), m.probes());
        assertTrue(PythonTools.relativeDifference(decomposed, ours) <= 1e-4, "full-rank decomposition");

        // and back to ONNX: onnxruntime gives PyTorch's outputs
        Path back = tmp.resolve("back-" + m.onnx().getFileName());
        OnnxExporter.write(loaded, back);
        INDArray runtime = PythonTools.onnxRuntime(back, m.probes(), tmp, 64, 10);
        double relBack = PythonTools.relativeDifference(runtime, m.torch());
        assertTrue(relBack <= 1e-4, "re-exported: onnxruntime differs from PyTorch by " + relBack);
        return g;
    }

    private static void assertOperators(TorchModels m, String... expected) {
        JsonNode ops = Json.parse(m.report(), "torch_cnn.py report").get("operators");
        Set<String> have = new HashSet<>();
        ops.forEach(o -> have.add(o.asText()));
        for (String op : expected) {
            assertTrue(
                    have.contains(op),
                    m.onnx().getFileName() + " lacks " + op + ": the test would not cover it " + "(operators: " + have
                            + ")");
        }
    }

    private static List<String> vertexNames(ComputationGraph g) {
        return g.getConfiguration().getVertices().keySet().stream().sorted().toList();
    }
}
