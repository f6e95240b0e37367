package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.decompose.TestNetworks;
import io.rankforge.eval.Evaluator;
import io.rankforge.importer.onnx.TorchModels;
import io.rankforge.io.Json;
import io.rankforge.model.ModelLoader;
import io.rankforge.testing.PythonTools;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX through the CLI ({@link io.rankforge.jobs.Main}): {@code export} of a zoo model checked by onnxruntime; a
 * PyTorch CNN exported by torch.onnx.export and trained on real Fashion-MNIST profiled with measured sensitivity,
 * selected (by the measured metric, and by ENC-Inf measuring its candidates) and exported back; bad input (an
 * unsupported operator, a truncated file, an unwritable --out) stopped with exit code 2, one line, nothing written.
 */
class OnnxCliTest {
    static final Path DATA = DatasetFetcher.DEBIAN_FASHION_MNIST_DIR;

    @TempDir
    static Path dir;

    static TorchModels torch;

    @BeforeAll
    static void pytorchModel() throws IOException {
        torch = TorchModels.export("residual", 17, "legacy", dir);
    }

    @Test
    void exportOfAZooModelRunsInOnnxRuntime() throws IOException {
        Model net = ZooArchitecture.VGG_MINI.build(3);
        Path zip = dir.resolve("vgg-mini.zip");
        ZooArtifacts.save(
                new TrainedModel(ZooArchitecture.VGG_MINI, net, "fashion-mnist", 1, 3, 1, Double.NaN, Double.NaN, 0),
                zip,
                null);
        Path out = dir.resolve("exported/vgg-mini.onnx");
        CliRun r =
                CliRun.of("export", "--model", zip.toString(), "--format", "onnx", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(out.toString(), j.get("out").asText());
        assertEquals(13, j.get("opset").asInt());
        assertEquals("[-1,1,28,28]", j.get("input_shape").toString());
        assertEquals("[-1,10]", j.get("output_shape").toString());
        assertEquals(Files.size(out), j.get("bytes").asLong());
        INDArray images = TestNetworks.test(16).features();
        INDArray expected = Evaluator.output(ModelLoader.load(zip).model(), images);
        INDArray actual = PythonTools.onnxRuntime(out, images, dir, 16, 10);
        assertTrue(PythonTools.relativeDifference(actual, expected) <= 1e-4);
    }

    @Test
    void pytorchModelIsProfiledSelectedAndExported() throws IOException {
        Path onnx = torch.onnx();
        Path profile = dir.resolve("torch-profile.json");
        CliRun p = CliRun.of(
                "profile",
                "--model",
                onnx.toString(),
                "--measure-sensitivity",
                "--data-dir",
                DATA.toString(),
                "--held-out",
                "200",
                "--calibration-images",
                "100",
                "--out",
                profile.toString(),
                "--json");
        assertEquals(0, p.code(), p.err());
        JsonNode layers = Json.parse(p.lastLine(), "profile output").get("layers");
        List<String> names = Stream.iterate(0, i -> i < layers.size(), i -> i + 1)
                .map(i -> layers.get(i).get("name").asText())
                .toList();
        assertEquals(
                List.of(
                        "conv1_Conv",
                        "block_conv1_Conv",
                        "proj_Conv",
                        "block_conv2_Conv",
                        "conv3_Conv",
                        "fc1_Gemm",
                        "fc2_Gemm"),
                names,
                "every convolution and dense layer of the PyTorch model, under its ONNX node name");
        for (JsonNode l : layers) {
            assertTrue(l.get("sensitivity").size() >= 3, "measured sensitivity of " + l.get("name"));
        }

        CliRun measured = CliRun.of(
                "select",
                "--profile",
                profile.toString(),
                "--method",
                "optimal",
                "--metric",
                "measured",
                "--target-flops",
                "0.5",
                "--json");
        assertEquals(0, measured.code(), measured.err());
        JsonNode m = measured.json();
        assertTrue(m.get("flops_ratio").asDouble() <= 0.5 + 1e-12, m.toString());
        assertEquals(7, m.get("ranks").size());

        CliRun inf = CliRun.of(
                "select",
                "--model",
                onnx.toString(),
                "--method",
                "enc-inf",
                "--metric",
                "pca",
                "--data-dir",
                DATA.toString(),
                "--held-out",
                "200",
                "--calibration-images",
                "100",
                "--option",
                "enc-inf.candidates=3",
                "--option",
                "enc-model.tolerance=0.05",
                "--target-flops",
                "0.5",
                "--json");
        assertEquals(0, inf.code(), inf.err());
        JsonNode i = inf.json();
        assertEquals("enc-inf", i.get("method").asText());
        assertTrue(i.get("flops_ratio").asDouble() <= 0.5 + 1e-12, i.toString());

        Path back = dir.resolve("torch-back.onnx");
        CliRun e = CliRun.of("export", "--model", onnx.toString(), "--out", back.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        INDArray runtime = PythonTools.onnxRuntime(back, torch.probes(), dir, TorchModels.PROBES, 10);
        assertTrue(PythonTools.relativeDifference(runtime, torch.torch()) <= 1e-4, "re-exported PyTorch model");
    }

    @Test
    void unsupportedOperatorStopsEveryCommandWithOneLineNamingTheNode(@TempDir Path tmp) throws IOException {
        TorchModels sigmoid = TorchModels.export("sigmoid", 13, "legacy", tmp);
        Path out = tmp.resolve("out/profile.json");
        CliRun r = CliRun.of("profile", "--model", sigmoid.onnx().toString(), "--out", out.toString());
        assertOneLineError(r, sigmoid.onnx().toString(), "node '/Sigmoid'", "'Sigmoid'");
        assertFalse(Files.exists(out.getParent()), "nothing written");

        TorchModels grouped = TorchModels.export("grouped", 17, "legacy", tmp);
        Path onnx = tmp.resolve("out/grouped.onnx");
        CliRun g = CliRun.of("export", "--model", grouped.onnx().toString(), "--out", onnx.toString());
        assertOneLineError(g, grouped.onnx().toString(), "'/conv2/Conv'", "group = 2");
        assertFalse(Files.exists(out.getParent()), "nothing written");
    }

    @Test
    void truncatedOnnxFileStopsWithOneLineNamingIt(@TempDir Path tmp) throws IOException {
        byte[] bytes = Files.readAllBytes(torch.onnx());
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path out = tmp.resolve("cut-profile.json");
        CliRun r = CliRun.of(
                "select",
                "--model",
                cut.toString(),
                "--method",
                "enc-map",
                "--metric",
                "pca",
                "--target-flops",
                "0.5",
                "--json");
        assertOneLineError(r, cut.toString(), "truncated");
        CliRun p = CliRun.of("profile", "--model", cut.toString(), "--out", out.toString());
        assertOneLineError(p, cut.toString());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(
                    List.of("cut.onnx"),
                    files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void unwritableOutStopsExportWithOneLine(@TempDir Path tmp) throws IOException {
        Path blocker = Files.writeString(tmp.resolve("a-file"), "not a folder");
        Path out = blocker.resolve("model.onnx");
        CliRun r = CliRun.of("export", "--model", torch.onnx().toString(), "--out", out.toString());
        assertOneLineError(r, "--out " + out);
        CliRun d = CliRun.of("export", "--model", torch.onnx().toString(), "--out", tmp.toString());
        assertOneLineError(d, "--out " + tmp, "directory");
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(
                    List.of("a-file"),
                    files.map(f -> f.getFileName().toString()).toList(),
                    "nothing written");
        }
    }

    private static void assertOneLineError(CliRun r, String... mentions) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        for (String m : mentions) {
            assertTrue(lines.get(0).contains(m), "'" + m + "' in: " + lines.get(0));
        }
        assertEquals("", r.out().strip(), "nothing on stdout");
    }
}
