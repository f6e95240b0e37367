package io.rankforge.jobs.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankforge benchmark} end to end on local[2] with conf/zoo-benchmark-small.conf, reduced by overrides only
 * (two models trained briefly on real Fashion-MNIST, two methods, one budget, two fine-tuning seeds, few images),
 * run twice into the same folder: the second run must not redo a finished compression.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchmarkJobTest {
    static final List<String> REDUCED = List.of(
            "spark.master=\"local[2]\"",
            "benchmark.models=[lenet5, vgg-mini]",
            "benchmark.train.images=600",
            "benchmark.train.epochs=1",
            "select.methods=[enc-map, uniform]",
            "select.budgets=[0.5]",
            "benchmark.seeds=2",
            "benchmark.fine-tune.images=128",
            "benchmark.latency-repeats=2",
            "data.test-images=200",
            "data.measure-images=100",
            "data.calibration-images=100",
            "benchmark.reference-profiles=[\""
                    + Path.of(System.getProperty("rankforge.repo.root", ".."))
                            .resolve("reference/enc/vgg16")
                            .toAbsolutePath()
                    + "\"]");

    @TempDir
    static Path tmp;

    JsonNode first;
    JsonNode second;
    Path out;

    /** The second run adds the validation study (a small sweep on one stratum): it must not redo a compression. */
    static final List<String> VALIDATION = List.of(
            "benchmark.validation=true",
            "sweep.include-method-picks=false",
            "sweep.strata=[0.5]",
            "sweep.samples-per-stratum=4",
            "validate.min-samples=4",
            "validate.bootstrap-samples=100");

    @BeforeAll
    void runTwice() {
        out = tmp.resolve("bench");
        first = benchmark(List.of());
        second = benchmark(VALIDATION);
    }

    private JsonNode benchmark(List<String> more) {
        Path conf = Path.of(System.getProperty("rankforge.repo.root", ".."), "conf", "zoo-benchmark-small.conf");
        List<String> args = new ArrayList<>(List.of("benchmark", "--conf", conf.toString(), "--json"));
        for (String s : concat(REDUCED, more)) {
            args.add("--set");
            args.add(s);
        }
        args.add("--set");
        args.add("experiment.output=" + Json.line(out.toString()));
        PrintStream original = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String text = stdout.toString(StandardCharsets.UTF_8).strip();
        assertEquals(0, code, "benchmark failed; stdout: " + text);
        return Json.parse(text.substring(text.lastIndexOf('\n') + 1), "the --json line");
    }

    @Test
    void oneRowPerModelMethodAndBudgetWithSaneNumbers() throws Exception {
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(second, summary, "the --json line is OUT/summary.json of the last run");
        assertEquals(2, summary.path("models").size());
        for (JsonNode m : summary.path("models")) {
            inUnitInterval(m.path("test_accuracy").asDouble(), m.path("model") + " test accuracy");
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode r : summary.path("results")) {
            String key = r.path("model").asText() + "/" + r.path("method").asText() + "@" + r.path("budget");
            assertTrue(seen.add(key), "two rows for " + key);
            for (String f : List.of("accuracy", "accuracy_finetuned", "accuracy_finetuned_high")) {
                inUnitInterval(r.path(f).asDouble(), key + " " + f);
            }
            double low = r.path("accuracy_finetuned_low").asDouble();
            assertTrue(r.path("accuracy_finetuned_low").isNumber() && low >= 0, key + " interval low " + low);
            assertTrue(r.path("accuracy_finetuned_low").asDouble()
                    <= r.path("accuracy_finetuned").asDouble());
            assertTrue(r.path("accuracy_finetuned_high").asDouble()
                    >= r.path("accuracy_finetuned").asDouble());
            assertEquals(2, r.path("seeds").asInt(), key + ": both fine-tuning seeds ran");
            double flops = r.path("flops_ratio").asDouble();
            assertTrue(flops > 0 && flops <= r.path("budget").asDouble() * (1 + 1e-9), key + " over budget: " + r);
            inUnitInterval(r.path("params_ratio").asDouble(), key + " params ratio");
            assertTrue(r.path("latency_ms_b1").asDouble() > 0, key + " latency");
        }
        assertEquals(
                Set.of("lenet5/enc-map@0.5", "lenet5/uniform@0.5", "vgg-mini/enc-map@0.5", "vgg-mini/uniform@0.5"),
                seen);
        assertTrue(summary.has("validation"));
        String md = Files.readString(out.resolve("leaderboard.md"));
        assertTrue(md.contains("| vgg-mini | uniform | 0.50 |"), md);
        String html = Files.readString(out.resolve("leaderboard").resolve("index.html"));
        assertTrue(html.contains("drop-vs-flops-lenet5.png") && html.contains("method-ranks.png"));
        assertTrue(Files.size(out.resolve("leaderboard").resolve("method-ranks.png")) > 1000);
    }

    @Test
    void aRerunReusesTheModelsAndRedoesNoCompression() {
        assertEquals(8, first.path("run").path("compressions_planned").asInt(), "2 models x 2 methods x 2 seeds");
        assertEquals(8, first.path("run").path("compressions_run").asInt());
        assertEquals(0, second.path("run").path("compressions_run").asInt());
        assertEquals(8, second.path("run").path("compressions_skipped").asInt());
        for (JsonNode m : second.path("models")) {
            assertTrue(m.path("reused").asBoolean(), m.path("model") + " trained again");
        }
        assertEquals(first.path("results"), second.path("results"), "the stored compressions, read back unchanged");
    }

    @Test
    void theValidationStudyRunsOnEveryModel() {
        assertEquals(0, first.path("validation").size(), "not asked for in the first run");
        Set<String> models = new HashSet<>();
        for (JsonNode st : second.path("validation")) {
            models.add(st.path("model").asText());
            assertEquals("50%", st.path("stratum").asText(), st.toString());
        }
        assertEquals(
                Set.of("lenet5", "vgg-mini"), models, second.path("validation").toString());
    }

    @Test
    void thePapersVgg16StandsBesideTheZooWithSelectionsOnly() throws Exception {
        JsonNode ref = first.path("reference");
        assertEquals(2, ref.size(), "vgg16 x one budget x two methods: " + ref);
        for (JsonNode r : ref) {
            assertEquals("vgg16", r.path("profile").asText());
            assertFalse(r.has("failed"), r.toString());
            assertTrue(r.path("flops_ratio").asDouble() > 0
                    && r.path("flops_ratio").asDouble() <= 0.5 * (1 + 1e-9));
            inUnitInterval(r.path("params_ratio").asDouble(), "reference params ratio");
            assertFalse(r.has("accuracy"), "no network behind the reference data, so no accuracy");
        }
        String html = Files.readString(
                Path.of(first.path("report").asText()).getParent().resolve("index.html"));
        assertTrue(html.contains("The paper's networks"), "the page lists them");
    }

    @Test
    void theLeaderboardPageShowsEveryMetricsRhoPerModelAndStratum() throws Exception {
        String html = Files.readString(Path.of(second.path("report").asText()));
        List<LeaderboardValidation> rows = LeaderboardValidation.of(second.path("validation"));
        assertFalse(rows.isEmpty());
        for (LeaderboardValidation v : rows) {
            String row = "<tr><td>" + v.model() + "</td><td>" + v.stratum() + "</td><td>" + v.groundTruth()
                    + "</td><td>" + v.metric() + "</td><td>" + v.samples() + "</td><td>" + v.rho() + "</td></tr>";
            assertTrue(html.contains(row), "the page has " + row);
            assertTrue(
                    v.tooFew()
                            || v.spearman() == null
                            || v.rho().startsWith(String.format(java.util.Locale.ROOT, "%.3f", v.spearman())),
                    v.rho());
        }
        assertFalse(html.contains("Not run"), "the second run ran the study");
        Path dir = Path.of(second.path("report").asText()).getParent();
        for (String gt :
                rows.stream().map(LeaderboardValidation::groundTruth).distinct().toList()) {
            boolean anyRho =
                    rows.stream().anyMatch(v -> v.groundTruth().equals(gt) && !v.tooFew() && v.spearman() != null);
            String png = "rho-" + gt + ".png";
            assertEquals(anyRho, html.contains(png), gt + ": a ρ figure exactly when a stratum has a ρ");
            assertEquals(anyRho, Files.exists(dir.resolve(png)), png);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void inUnitInterval(double v, String what) {
        assertTrue(v > 0 && v <= 1, what + " = " + v + ", not in (0, 1]");
    }
}
