package io.rankforge.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.UserInputException;
import io.rankforge.decompose.TestNetworks;
import io.rankforge.eval.Evaluator;
import io.rankforge.io.Json;
import io.rankforge.model.ModelLoader;
import io.rankforge.testing.PythonTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer patterns of everyday PyTorch code ({@code tools/python/torch_patterns.py}), each exported by both
 * torch.onnx.export exporters (TorchScript at opset 13, torch.export at opset 18): average pooling over padding with
 * and without the padding in the divisor, max pooling over padding of negative values, Dropout2d, BatchNorm1d after
 * Linear, LeakyReLU, {@code padding="same"}, {@code x.reshape(-1, n)}. RankForge's import equals PyTorch within 1e-4
 * on real Fashion-MNIST test images; a max pooling whose ceil_mode adds a row is refused naming its node.
 */
class OnnxPatternsTest {
    private static final int PROBES = 32;

    @Test
    void everyPatternFromBothExportersEqualsPyTorch(@TempDir Path tmp) throws IOException {
        INDArray probes = TestNetworks.test(PROBES).features();
        Path probeFile = tmp.resolve("probe.f32");
        PythonTools.writeFloats(probes, probeFile);
        JsonNode report = Json.parse(
                PythonTools.script(
                        "torch_patterns.py",
                        List.of(
                                "--probe", probeFile.toString(),
                                "--probe-count", String.valueOf(PROBES),
                                "--out", tmp.toString()),
                        600),
                "torch_patterns.py report");
        int checked = 0;
        for (String pattern :
                List.of("avgpool-pad-include", "avgpool-pad-exclude", "maxpool-pad-bn1d", "reshape-same")) {
            INDArray torch = PythonTools.readFloats(tmp.resolve(pattern + ".f32"), PROBES, 10);
            for (String exporter : List.of("legacy", "dynamo")) {
                Path onnx = tmp.resolve(pattern + "-" + exporter + ".onnx");
                assertTrue(report.path(pattern).has(onnx.toString()), report.toString());
                INDArray ours = Evaluator.output(ModelLoader.load(onnx).model(), probes);
                double rel = PythonTools.relativeDifference(ours, torch);
                assertTrue(
                        rel <= 1e-4,
                        onnx.getFileName() + ": DL4J differs from PyTorch by " + rel + " (operators "
                                + report.path(pattern).path(onnx.toString()) + ")");
                checked++;
            }
        }
        assertEquals(8, checked);
        for (String exporter : List.of("legacy", "dynamo")) {
            Path ceil = tmp.resolve("maxpool-ceil-" + exporter + ".onnx");
            UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(ceil));
            assertTrue(e.getMessage().contains("MaxPool node") && e.getMessage().contains("ceil_mode"), e.getMessage());
            assertTrue(e.getMessage().contains(ceil.toString()), e.getMessage());
        }
    }
}
