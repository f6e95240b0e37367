package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.RankConfiguration;
import io.rankforge.data.DataSplits;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.eval.Evaluator;
import io.rankforge.importer.onnx.TorchModels;
import io.rankforge.io.Json;
import io.rankforge.jobs.e2e.Lenet5Fixture;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.testing.PythonTools;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code rankforge compress} end to end through {@link io.rankforge.jobs.Main}, on real Fashion-MNIST (the Debian
 * package's files): a lenet5 trained briefly, compressed with a ranks file and with a method (measured metric), each
 * output re-loaded and re-evaluated to the accuracy its sidecar states and its cost checked; a PyTorch CNN exported to
 * ONNX compressed (fine-tuned through an appended loss, as it ends in logits) and the compressed model exported to
 * ONNX and run by onnxruntime; bad input (a ranks file of another model, an unwritable or directory --out): exit 2,
 * one line, nothing written. Few images and one epoch keep it fast.
 */
class CompressCommandTest {
    static final Path DATA = Lenet5Fixture.DATA;
    static final int TEST = 500;

    @TempDir
    static Path dir;

    static Path lenet;
    static DataSplits splits;

    @BeforeAll
    static void model() throws IOException {
        lenet = dir.resolve("lenet5.zip");
        Lenet5Fixture.train(lenet);
        splits = DataSplits.fromDirectory(DATA);
    }

    static String[] args(String... extra) {
        List<String> base = List.of(
                "compress",
                "--data-dir",
                DATA.toString(),
                "--fine-tune-epochs",
                "1",
                "--train-images",
                "600",
                "--test-images",
                String.valueOf(TEST),
                "--calibration-images",
                "100",
                "--latency-repeats",
                "3",
                "--json");
        return Stream.concat(base.stream(), Stream.of(extra)).toArray(String[]::new);
    }

    /** Re-loads the written model and checks its sidecar against it: accuracy, ranks, cost. */
    static JsonNode checkWritten(Path out, JsonNode json) throws IOException {
        assertTrue(Files.isRegularFile(out), "model written: " + out);
        Path side = out.resolveSibling(out.getFileName().toString().replace(".zip", ".json"));
        assertEquals(side.toString(), json.get("sidecar").asText());
        JsonNode sidecar = Json.parse(Files.readString(side), "sidecar");
        for (String k : List.of(
                "accuracy_original", "accuracy_compressed", "accuracy_finetuned", "flops_ratio", "params_ratio")) {
            assertEquals(json.get(k).asDouble(), sidecar.get(k).asDouble(), 0, k + " in --json and sidecar");
        }
        assertEquals(json.get("ranks"), sidecar.get("ranks"));
        assertEquals(out.toString(), json.get("out").asText());
        assertEquals(TEST, sidecar.get("test_images").asInt());

        LoadedModel back = ModelLoader.load(out);
        ImageDataset test = splits.test().first(TEST);
        double accuracy = Evaluator.evaluate(back.model(), test).accuracy();
        assertEquals(sidecar.get("accuracy_finetuned").asDouble(), accuracy, 0, "re-loaded model's test accuracy");
        assertEquals(back.sha256(), sidecar.get("model_sha256").asText());

        // the stated ranks and ratios are the written network's: every compressed layer is two factors
        for (var it = sidecar.get("ranks").fields(); it.hasNext(); ) {
            var e = it.next();
            String a = e.getKey() + "_a";
            long n = back.model() instanceof MultiLayerNetwork m
                    ? m.getLayerWiseConfigurations().getConfs().stream()
                            .filter(c -> a.equals(c.getLayer().getLayerName()))
                            .count()
                    : ((ComputationGraph) back.model())
                                    .getConfiguration()
                                    .getVertices()
                                    .containsKey(a)
                            ? 1
                            : 0;
            assertEquals(1, n, "layer " + a + " in the written model");
        }
        LoadedModel source =
                ModelLoader.load(Path.of(sidecar.get("source").get("model").asText()));
        assertEquals(source.sha256(), sidecar.get("source").get("sha256").asText());
        DecompositionPlan plan =
                DecompositionPlan.withDefaultSchemes(NetworkDescriber.describe(source.model(), source.inputType()));
        Map<String, Integer> ranks = Json.MAPPER.convertValue(sidecar.get("ranks"), Map.class);
        var cost = plan.cost(RankConfiguration.of(ranks));
        assertEquals(cost.compressibleFlopsRatio(), sidecar.get("flops_ratio").asDouble(), 1e-12);
        assertEquals(cost.compressibleParamsRatio(), sidecar.get("params_ratio").asDouble(), 1e-12);
        assertEquals(
                cost.networkFlopsRatio(), sidecar.get("network_flops_ratio").asDouble(), 1e-12);
        assertEquals(
                source.model().numParams() - cost.originalCompressibleParams() + cost.compressibleParams(),
                back.model().numParams(),
                "parameters of the written network");

        JsonNode ft = sidecar.get("fine_tuning");
        assertEquals(1, ft.get("epochs").asInt());
        assertEquals(600, ft.get("train_images").asInt());
        assertEquals(1, ft.get("epoch_loss").size());
        JsonNode lat = sidecar.get("latency");
        for (String which : List.of("original", "compressed")) {
            for (String b : List.of("batch_1_ms", "batch_64_ms")) {
                assertTrue(lat.get(which).get(b).asDouble() > 0, which + " " + b);
            }
        }
        assertTrue(sidecar.get("provenance").has("git_commit"));
        return sidecar;
    }

    @Test
    void ranksFileGivesAModelThatReloadsToItsStatedAccuracy() throws IOException {
        Path ranks = Files.writeString(dir.resolve("lenet-ranks.json"), "{\"conv2\": 6, \"fc1\": 30}");
        Path out = dir.resolve("out/lenet5-ranks.zip");
        CliRun r = CliRun.of(args("--model", lenet.toString(), "--ranks", ranks.toString(), "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(Map.of("conv2", 6, "fc1", 30), Json.MAPPER.convertValue(j.get("ranks"), Map.class));
        JsonNode sidecar = checkWritten(out, j);
        assertEquals("ranks-file", sidecar.get("method").asText());
        assertEquals(ranks.toString(), sidecar.get("ranks_file").asText());
        assertTrue(j.get("accuracy_original").asDouble() > 0.5, j.toString());
        // the accuracy before fine-tuning is what `evaluate` measures for the same ranks
        CliRun e = CliRun.of(
                "evaluate",
                "--model",
                lenet.toString(),
                "--data-dir",
                DATA.toString(),
                "--ranks",
                ranks.toString(),
                "--limit",
                String.valueOf(TEST),
                "--calibration-images",
                "100",
                "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(
                e.json().get("accuracy").asDouble(),
                j.get("accuracy_compressed").asDouble(),
                0);
        assertTrue(r.err().contains("[6/8] fine-tune"), "numbered phases on stderr: " + r.err());
    }

    @Test
    void methodWithMeasuredMetricStaysWithinItsBudget() throws IOException {
        Path out = dir.resolve("lenet5-optimal.zip");
        CliRun r = CliRun.of(args(
                "--model",
                lenet.toString(),
                "--method",
                "optimal",
                "--metric",
                "measured",
                "--held-out",
                "200",
                "--target-flops",
                "0.4",
                "--out",
                out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertTrue(j.get("flops_ratio").asDouble() <= 0.4 + 1e-12, j.toString());
        assertTrue(j.get("flops_ratio").asDouble() > 0.3, "the optimum spends its budget: " + j);
        assertEquals(4, j.get("ranks").size());
        JsonNode sidecar = checkWritten(out, j);
        assertEquals("optimal", sidecar.get("method").asText());
        assertEquals("measured", sidecar.get("metric").asText());
        assertEquals(0.4, sidecar.get("target_flops").asDouble(), 0);
        assertTrue(sidecar.get("network_flops_ratio").asDouble() <= 1.0);
    }

    @Test
    void ranksFileOfAnotherModelStopsWithOneLineAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path ranks = Files.writeString(tmp.resolve("vgg-ranks.json"), "{\"s1c1\": 4, \"s2c2\": 8}");
        Path out = tmp.resolve("out/never.zip");
        CliRun r = CliRun.of(args("--model", lenet.toString(), "--ranks", ranks.toString(), "--out", out.toString()));
        assertOneLineError(r, ranks.toString(), "s1c1");
        assertFalse(Files.exists(out.getParent()), "nothing written");
        assertEquals(List.of("vgg-ranks.json"), list(tmp));
    }

    @Test
    void unwritableOutStopsBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path ranks = Files.writeString(tmp.resolve("ranks.json"), "{\"conv2\": 6}");
        Path proc = Path.of("/proc/rankforge-compress-test/model.zip");
        CliRun p = CliRun.of(args("--model", lenet.toString(), "--ranks", ranks.toString(), "--out", proc.toString()));
        assertOneLineError(p, "--out " + proc);
        assertFalse(Files.exists(proc.getParent()));

        Path folder = Files.createDirectories(tmp.resolve("existing.zip"));
        CliRun d =
                CliRun.of(args("--model", lenet.toString(), "--ranks", ranks.toString(), "--out", folder.toString()));
        assertOneLineError(d, "--out " + folder, "directory");
        assertEquals(List.of(), list(folder), "nothing written into it");
        assertEquals(List.of("existing.zip", "ranks.json"), list(tmp));
    }

    @Test
    void pytorchOnnxModelIsCompressedAndItsCompressedModelRunsInOnnxRuntime(@TempDir Path tmp) throws IOException {
        TorchModels torch = TorchModels.export("residual", 17, "legacy", tmp);
        Path out = tmp.resolve("torch-compressed.zip");
        CliRun r = CliRun.of(args(
                "--model",
                torch.onnx().toString(),
                "--method",
                "enc-map",
                "--metric",
                "pca",
                "--target-flops",
                "0.5",
                "--out",
                out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertTrue(j.get("flops_ratio").asDouble() <= 0.5 + 1e-12, j.toString());
        assertEquals(7, j.get("ranks").size());
        JsonNode sidecar = checkWritten(out, j);
        assertEquals("fashion-mnist", sidecar.get("dataset").asText());
        assertTrue(sidecar.get("batch_norm").get("recalibrated_layers").size() >= 3, sidecar.toString());
        assertTrue(j.get("accuracy_original").asDouble() > 0.5, j.toString());

        // the compressed graph still ends in the PyTorch model's logits (fine-tuned through an appended loss)
        LoadedModel back = ModelLoader.load(out);
        INDArray dl4j = Evaluator.output(back.model(), torch.probes());
        assertTrue(dl4j.minNumber().doubleValue() < 0, "logits, not probabilities");

        Path onnx = tmp.resolve("torch-compressed.onnx");
        CliRun e = CliRun.of("export", "--model", out.toString(), "--out", onnx.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        INDArray runtime = PythonTools.onnxRuntime(onnx, torch.probes(), tmp, TorchModels.PROBES, 10);
        assertTrue(PythonTools.relativeDifference(runtime, dl4j) <= 1e-4, "onnxruntime runs the compressed model");
    }

    @Test
    void papersResNet56IsCompressedWithoutDataAndExportedToOnnx(@TempDir Path tmp) throws IOException {
        Path caffe = ReferenceData.reference("enc/res56/res56.caffemodel");
        Path out = tmp.resolve("res56-rmax.zip");
        CliRun r = CliRun.of(
                "compress",
                "--model",
                caffe.toString(),
                "--ranks",
                "rmax",
                "--dataset",
                "none",
                "--latency-repeats",
                "0",
                "--out",
                out.toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(58, j.get("ranks").size(), "every convolution and the dense layer at r_max");
        assertTrue(j.get("accuracy_original").isNull(), "no CIFAR-10 here: no accuracy");
        assertEquals(0, j.get("fine_tuning").get("epochs").asInt());
        LoadedModel back = ModelLoader.load(out);
        assertEquals(
                "[3,32,32]",
                Json.parse(Files.readString(Path.of(j.get("sidecar").asText())), "sidecar")
                        .get("input_shape")
                        .toString());
        INDArray images = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32);
        INDArray compressed = Evaluator.output(back.model(), images);
        assertEquals(List.of(8L, 10L), List.of(compressed.size(0), compressed.size(1)));
        assertTrue(back.model().numParams() > ModelLoader.load(caffe).model().numParams(), "r_max adds parameters");

        Path onnx = tmp.resolve("res56-rmax.onnx");
        CliRun e = CliRun.of("export", "--model", out.toString(), "--out", onnx.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        INDArray runtime = PythonTools.onnxRuntime(onnx, images, tmp, 8, 10);
        assertTrue(PythonTools.relativeDifference(runtime, compressed) <= 1e-4, "onnxruntime runs it as DL4J does");
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
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
