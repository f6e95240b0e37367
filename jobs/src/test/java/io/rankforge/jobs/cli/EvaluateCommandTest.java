package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `rankforge evaluate` end to end through Main.run, on a lenet5 trained by `zoo train` on real Fashion-MNIST. */
class EvaluateCommandTest {
    static Path tmp;
    static Path zip;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeAll
    static void trainModel() throws IOException {
        tmp = Files.createTempDirectory("rankforge-evaluate");
        System.setProperty("rankforge.data", tmp.resolve("data").toString());
        zip = tmp.resolve("lenet5.zip");
        CliRun r = run(
                "zoo",
                "train",
                "--model",
                "lenet5",
                "--epochs",
                "1",
                "--train-limit",
                "600",
                "--seed",
                "3",
                "--out",
                zip.toString());
        assertEquals(0, r.code(), r.err());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        System.clearProperty("rankforge.data");
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    JsonNode evaluate(String ranks) {
        CliRun r = run("evaluate", "--model", zip.toString(), "--ranks", ranks, "--limit", "500", "--json");
        assertEquals(0, r.code(), r.err());
        return r.json();
    }

    @Test
    void originalFullAndRmaxWithCostsAndRatios() {
        JsonNode orig = evaluate("original");
        JsonNode full = evaluate("full");
        JsonNode rmax = evaluate("rmax");
        assertEquals(500, orig.get("images").asInt());
        assertTrue(orig.get("accuracy").asDouble() > 0.5, "trained lenet5: " + orig.get("accuracy"));
        assertTrue(orig.get("images_per_second").asDouble() > 0);
        // full rank computes what the original computes: at most a float-rounding tie flips one image
        assertTrue(Math.abs(orig.get("correct").asInt() - full.get("correct").asInt()) <= 1, orig + " vs " + full);
        assertEquals(0, orig.get("ranks").size());
        // lenet5 has no batch norm: nothing to re-estimate, by default or otherwise
        assertEquals(0, rmax.get("calibration_images").asInt());
        assertEquals(0, rmax.get("recalibrated_layers").size());
        assertEquals(4, full.get("ranks").size());
        assertEquals(1.0, orig.get("compressible_layers").get("flops_ratio").asDouble(), 0);
        assertEquals(1.0, orig.get("whole_network").get("params_ratio").asDouble(), 0);
        // lenet5's first conv (channel scheme) at full rank 20: 25·20 + 20·20 weights instead of 500
        assertEquals(1, full.get("layers").get(0).get("scheme").asText().equals("channel") ? 1 : 0);
        assertEquals(20, full.get("ranks").get("conv1").asInt());
        assertTrue(full.get("compressible_layers").get("flops_ratio").asDouble() > 1, "full rank costs more");
        // r_max is parameter-neutral: the compressible parameters stay within rounding and biases of the original
        double p = rmax.get("compressible_layers").get("params_ratio").asDouble();
        assertTrue(p > 0.97 && p < 1.03, "params ratio at r_max " + p);
        long origMacs = orig.get("whole_network").get("original_macs").asLong();
        assertEquals(2_293_000, origMacs, "lenet5 MACs (hand computation in ZooDecompositionTest)");
    }

    @Test
    void ranksFileDecomposesTheNamedLayersOnly() throws IOException {
        Path f = Files.writeString(tmp.resolve("ranks.json"), "{\"conv2\": 8, \"fc1\": 16}");
        JsonNode j = evaluate(f.toString());
        assertEquals(8, j.get("ranks").get("conv2").asInt());
        assertEquals(2, j.get("ranks").size());
        assertTrue(j.get("layers").get(0).get("rank").isNull(), "conv1 stays uncompressed");
        double ratio = j.get("compressible_layers").get("flops_ratio").asDouble();
        assertTrue(ratio < 0.6, "conv2 at rank 8 and fc1 at 16 cut the compressible MACs: " + ratio);
        long macs = j.get("compressible_layers").get("macs").asLong();
        // conv1 original 288,000 + conv2 spatial at 8: (20·5·12·8 + 50·5·8·8)·8 + fc1 (800 + 500)·16 + output 5,000
        assertEquals(288_000 + (20 * 5 * 8 * 12 + 50 * 5 * 8 * 8) * 8 + 1300 * 16 + 5_000, macs);
    }

    @Test
    void textOutputIsLabelled() {
        CliRun r = run("evaluate", "--model", zip.toString(), "--ranks", "rmax", "--limit", "200");
        assertEquals(0, r.code(), r.err());
        for (String label : List.of(
                "accuracy",
                "images/s",
                "compressible layers MACs",
                "compressible layers params",
                "whole network MACs",
                "whole network params",
                "conv1",
                "fc1")) {
            assertTrue(r.out().contains(label), "missing '" + label + "' in\n" + r.out());
        }
    }

    @Test
    void badInputsGiveOneLineErrorsAndExitCode2() throws IOException {
        CliRun missing = run("evaluate", "--model", tmp.resolve("nope.zip").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.zip") && missing.err().contains("does not exist"), missing.err());

        Path unknown = Files.writeString(tmp.resolve("unknown.json"), "{\"conv7\": 4, \"fc1\": 9999}");
        CliRun r = run("evaluate", "--model", zip.toString(), "--ranks", unknown.toString(), "--limit", "10");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'conv7'") && r.err().contains("'fc1' = 9999"), r.err());
        assertEquals("", r.out(), "nothing on stdout on error");

        CliRun noFile = run(
                "evaluate",
                "--model",
                zip.toString(),
                "--ranks",
                tmp.resolve("absent.json").toString());
        assertEquals(2, noFile.code());
        assertTrue(noFile.err().contains("absent.json"), noFile.err());

        CliRun limit = run("evaluate", "--model", zip.toString(), "--limit", "-1");
        assertEquals(2, limit.code());

        CliRun calibration = run("evaluate", "--model", zip.toString(), "--ranks", "rmax", "--calibration-images", "1");
        assertEquals(2, calibration.code());
        assertTrue(calibration.err().contains("--calibration-images"), calibration.err());
    }
}
