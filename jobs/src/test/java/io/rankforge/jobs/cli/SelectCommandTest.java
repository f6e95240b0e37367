package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.testing.ReferenceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectCommandTest {
    private static final Path VGG16 = ReferenceData.reference("enc/vgg16");

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void jsonLineHasTheContractedFieldsInNetworkOrder() {
        CliRun r = run(
                "select",
                "--profile",
                VGG16.toString(),
                "--method",
                "enc-map",
                "--target-flops",
                "0.25",
                "--metric",
                "measured",
                "--first-layer",
                "half",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.parse(r.lastLine(), "select output");
        for (String k : List.of(
                "method",
                "metric",
                "target_flops",
                "ranks",
                "flops_ratio",
                "params_ratio",
                "network_flops_ratio",
                "metrics",
                "search_seconds")) {
            assertTrue(j.has(k), "missing " + k + " in " + r.lastLine());
        }
        assertEquals("enc-map", j.get("method").asText());
        assertEquals("measured", j.get("metric").asText());
        assertEquals(0.25, j.get("target_flops").asDouble(), 0);
        assertEquals(0.25, j.get("flops_ratio").asDouble(), 0.005);
        assertTrue(j.get("network_flops_ratio").isNull(), "a reference profile has no network totals");
        Iterator<String> names = j.get("ranks").fieldNames();
        assertEquals("conv1_1", names.next());
        assertEquals("conv1_2", names.next());
        assertEquals(10, j.get("ranks").get("conv1_1").asInt());
        assertEquals(13, j.get("ranks").size());
        assertTrue(j.get("metrics").has("pca")
                && j.get("metrics").has("measured")
                && j.get("metrics").has("combined"));
        assertTrue(j.get("search_seconds").asDouble() >= 0);
    }

    @Test
    void paretoFrontIsMonotoneAndMeetsEveryBudget() {
        CliRun r = run(
                "select",
                "--profile",
                VGG16.toString(),
                "--method",
                "optimal",
                "--pareto",
                "0.1",
                "--metric",
                "measured",
                "--first-layer",
                "half",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.parse(r.lastLine(), "pareto output");
        JsonNode pts = j.get("pareto");
        assertTrue(pts.size() >= 8 && pts.size() <= 10, "points: " + pts.size());
        double prevMetric = -1, prevFlops = -1;
        for (JsonNode pt : pts) {
            double target = pt.get("target_flops").asDouble();
            double flops = pt.get("flops_ratio").asDouble();
            double m = pt.get("metrics").get("measured").asDouble();
            assertTrue(flops <= target + 1e-9, "over budget: " + pt);
            assertTrue(m >= prevMetric - 1e-12 && flops >= prevFlops - 1e-12, "not monotone at " + pt);
            assertEquals(13, pt.get("ranks").size());
            prevMetric = m;
            prevFlops = flops;
        }
        CliRun bad = run("select", "--profile", VGG16.toString(), "--method", "enc-map", "--pareto", "0.1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--pareto needs --method optimal"), bad.err());
    }

    @Test
    void tableWithoutJson() {
        CliRun r = run(
                "select",
                "--profile",
                VGG16.toString(),
                "--method",
                "enc-model",
                "--target-flops",
                "0.25",
                "--first-layer",
                "half");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conv5_3"), r.out());
        assertTrue(r.out().contains("r_max"), r.out());
        assertTrue(r.out().contains("method enc-model"), r.out());
    }

    @Test
    void excludedLayersStayOutOfTheBudget() {
        CliRun r = run(
                "select",
                "--profile",
                VGG16.toString(),
                "--method",
                "enc-map",
                "--target-flops",
                "0.3",
                "--exclude-pattern",
                "conv5_.*",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.parse(r.lastLine(), "select output");
        assertEquals(10, j.get("ranks").size());
        assertFalse(j.get("ranks").has("conv5_1"));
        assertEquals(0.3, j.get("flops_ratio").asDouble(), 0.005);
    }

    @Test
    void budgetBelowTheCheapestConfigurationIsAUserError() {
        CliRun r =
                run("select", "--profile", VGG16.toString(), "--method", "enc-map", "--target-flops", "0.05", "--json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--target-flops") && r.err().contains("cheapest"), r.err());
        assertTrue(r.out().isBlank(), "no JSON on error: " + r.out());
    }

    @Test
    void targetOutsideTheUnitIntervalIsAUserError() {
        for (String t : new String[] {"0", "1.5", "-0.2"}) {
            CliRun r = run("select", "--profile", VGG16.toString(), "--method", "enc-map", "--target-flops", t);
            assertEquals(2, r.code(), "target " + t);
            assertTrue(r.err().contains("(0, 1]"), r.err());
        }
        CliRun r = run("select", "--profile", VGG16.toString(), "--method", "enc-map", "--target-params", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--target-params"), r.err());
    }

    @Test
    void unknownMethodOrMetricIsAUserErrorListingTheKnownOnes() {
        CliRun m = run("select", "--profile", VGG16.toString(), "--method", "magic", "--target-flops", "0.5");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("unknown method 'magic'") && m.err().contains("enc-map"), m.err());
        CliRun k = run(
                "select",
                "--profile",
                VGG16.toString(),
                "--method",
                "enc-map",
                "--metric",
                "entropy",
                "--target-flops",
                "0.5");
        assertEquals(2, k.code());
        assertTrue(k.err().contains("unknown metric 'entropy'") && k.err().contains("measured"), k.err());
    }

    @Test
    void missingTargetIsAUserError() {
        CliRun r = run("select", "--profile", VGG16.toString(), "--method", "enc-map");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--target-flops"), r.err());
    }

    @Test
    void profileFolderMissingAFileNamesIt(@TempDir Path tmp) throws Exception {
        Files.copy(VGG16.resolve("Net_def.txt"), tmp.resolve("Net_def.txt"));
        Files.copy(VGG16.resolve("R_list.txt"), tmp.resolve("R_list.txt"));
        CliRun r = run("select", "--profile", tmp.toString(), "--method", "enc-map", "--target-flops", "0.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("A_norm.txt"), r.err());
        CliRun missing = run(
                "select",
                "--profile",
                tmp.resolve("nowhere").toString(),
                "--method",
                "enc-map",
                "--target-flops",
                "0.5");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nowhere"), missing.err());
    }

    @Test
    void encInfWithoutAModelSaysSo() {
        CliRun r = run("select", "--profile", VGG16.toString(), "--method", "enc-inf", "--target-flops", "0.25");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("enc-inf needs a model"), r.err());
    }

    @Test
    void profileCommandConvertsAReferenceFolderAndSelectReadsIt(@TempDir Path tmp) {
        Path out = tmp.resolve("vgg16.json");
        CliRun p = run("profile", "--reference", VGG16.toString(), "--out", out.toString(), "--json");
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.isRegularFile(out));
        JsonNode j = Json.parse(p.lastLine(), "profile output");
        JsonNode first = j.get("layers").get(0);
        for (String k : List.of("name", "scheme", "rmax", "full_rank", "macs", "params", "singular_values")) {
            assertTrue(first.has(k), "missing " + k);
        }
        assertEquals("conv1_1", first.get("name").asText());
        assertEquals("channel", first.get("scheme").asText());
        assertEquals(19, first.get("rmax").asInt());
        assertEquals(19, first.get("singular_values").size());

        CliRun fromFolder = run(
                "select", "--profile", VGG16.toString(), "--method", "enc-model", "--target-flops", "0.4", "--json");
        CliRun fromJson =
                run("select", "--profile", out.toString(), "--method", "enc-model", "--target-flops", "0.4", "--json");
        assertEquals(0, fromJson.code(), fromJson.err());
        assertEquals(
                Json.parse(fromFolder.lastLine(), "a").get("ranks"),
                Json.parse(fromJson.lastLine(), "b").get("ranks"));
    }
}
