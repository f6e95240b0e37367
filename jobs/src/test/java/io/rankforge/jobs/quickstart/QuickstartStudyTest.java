package io.rankforge.jobs.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.Main;
import io.rankforge.jobs.report.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart end to end, reduced by configuration overrides only (a small training subset, one
 * epoch, a dozen sampled configurations, few test images): real Fashion-MNIST, a real vgg-mini, the
 * real Spark jobs on the embedded Spark. Run twice into the same folder; the report is opened in
 * headless Chromium and the notebook is executed against the study's tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuickstartStudyTest {
    /** The reduction: the same code path as `bin/rankforge quickstart`, smaller numbers. */
    static final List<String> REDUCED = List.of(
            "quickstart.train.images=1500",
            "quickstart.train.epochs=1",
            "data.test-images=500",
            "data.measure-images=300",
            "sensitivity.fractions=[0.2, 1.0]",
            "select.enc-inf-candidates=3",
            "sweep.samples-per-stratum=4",
            "validate.min-samples=4",
            "sweep.fine-tune.images=300",
            "validate.bootstrap-samples=200");

    @TempDir
    static Path tmp;

    Path out;
    JsonNode first;
    JsonNode second;
    QuickstartSettings settings;

    @BeforeAll
    void runTheQuickstartTwice() {
        out = tmp.resolve("study");
        settings = QuickstartSettings.load(QuickstartSettings.defaultConfFile(), REDUCED, out);
        first = quickstart();
        second = quickstart();
    }

    private JsonNode quickstart() {
        List<String> args = new ArrayList<>(List.of("quickstart", "--out", out.toString(), "--json"));
        for (String s : REDUCED) {
            args.add("--set");
            args.add(s);
        }
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
        assertEquals(0, code, "quickstart failed; stdout: " + text);
        String last = text.substring(text.lastIndexOf('\n') + 1);
        JsonNode summary = Json.parse(last, "the --json line");
        assertTrue(summary.isObject(), "the last stdout line must be one JSON object");
        return summary;
    }

    @Test
    void theSummaryHoldsSaneNumbersOneRowPerMethodAndBudget() throws IOException {
        assertEquals("ok", first.path("status").asText());
        assertTrue(
                Json.MAPPER.readTree(out.resolve("summary.json").toFile()).equals(second),
                "the --json line must be DIR/summary.json (of the last run)");
        inUnitInterval(first.path("model").path("test_accuracy").asDouble(), "uncompressed test accuracy");

        Map<String, Integer> rMax = new java.util.HashMap<>();
        for (JsonNode l : first.path("layers")) {
            rMax.put(l.path("name").asText(), l.path("r_max").asInt());
        }
        assertFalse(rMax.isEmpty(), "no layers in the summary");

        Set<String> seen = new HashSet<>();
        for (JsonNode m : first.path("picks")) {
            String key = m.path("method").asText() + "@" + m.path("budget").asDouble();
            assertTrue(seen.add(key), "two rows for " + key);
            for (String f : List.of(
                    "model",
                    "method",
                    "budget",
                    "flops_ratio",
                    "accuracy",
                    "accuracy_finetuned",
                    "percentile",
                    "percentile_finetuned",
                    "regret")) {
                assertTrue(m.has(f), key + " lacks " + f + ": " + m);
            }
            inUnitInterval(m.path("accuracy").asDouble(), key + " accuracy");
            inUnitInterval(m.path("accuracy_finetuned").asDouble(), key + " accuracy after fine-tuning");
            inUnitInterval(m.path("flops_ratio").asDouble(), key + " FLOPs ratio (compressible layers)");
            inUnitInterval(m.path("network_flops_ratio").asDouble(), key + " FLOPs ratio (whole network)");
            assertTrue(
                    m.path("flops_ratio").asDouble() <= m.path("budget").asDouble() * (1 + 1e-9),
                    key + " exceeds its budget: " + m);
            double pct = m.path("percentile").asDouble();
            assertTrue(pct >= 0 && pct <= 100, key + " percentile " + pct);
            m.path("ranks")
                    .fields()
                    .forEachRemaining(e -> assertTrue(
                            e.getValue().asInt() >= 1 && e.getValue().asInt() <= rMax.get(e.getKey()),
                            key + ": rank of " + e.getKey() + " outside [1, r_max]"));
        }
        Set<String> expected = new HashSet<>();
        for (String method : settings.job().select().methods()) {
            for (double b : settings.job().select().budgets()) {
                expected.add(method + "@" + b);
            }
        }
        assertEquals(expected, seen, "one row per method and budget");

        JsonNode sweep = first.path("sweep");
        assertTrue(sweep.path("trials_total").asLong() >= 12, "a dozen sampled configurations at least: " + sweep);
        assertEquals(0, sweep.path("trials_failed").asLong(), sweep::toString);
        int strata = settings.job().sweep().strata().size();
        int rows = 0;
        Set<String> finetuned = new HashSet<>();
        for (JsonNode v : first.path("strata")) {
            for (String f : List.of("model", "target", "cost_low", "cost_high", "ground_truth", "samples", "metrics")) {
                assertTrue(v.has(f), "a stratum lacks " + f + ": " + v);
            }
            rows++;
            double target = v.path("target").asDouble();
            assertTrue(v.path("cost_low").asDouble() >= target - 0.005 - 1e-9, "cost below the window: " + v);
            assertTrue(v.path("cost_high").asDouble() <= target * (1 + 1e-9), "cost above the target: " + v);
            assertEquals(4, v.path("samples").asInt(), "random samples only, never the picks: " + v);
            if (v.path("ground_truth").asText().equals("accuracy_finetuned")) {
                finetuned.add(v.path("stratum").asText());
            }
            JsonNode am = v.path("metrics").path("measured");
            for (String f : List.of(
                    "spearman",
                    "spearman_low",
                    "spearman_high",
                    "kendall",
                    "kendall_low",
                    "kendall_high",
                    "concordance",
                    "top_k_precision",
                    "regret",
                    "regret_low",
                    "regret_high")) {
                assertTrue(am.has(f), "A_m lacks " + f + ": " + am);
            }
            for (String f : List.of("spearman", "kendall")) {
                if (!am.path(f).isNull()) {
                    assertTrue(Math.abs(am.path(f).asDouble()) <= 1 + 1e-9, f + " outside [-1, 1]: " + v);
                }
            }
            if (!am.path("regret").isNull()) {
                assertTrue(am.path("regret").asDouble() >= 0, "negative regret: " + v);
            }
        }
        assertTrue(rows >= strata, "a row per stratum at least: " + rows);
        assertEquals(Set.of("50%"), finetuned, "fine-tuned ground truth in the configured stratum");
        JsonNode c = first.path("comparisons");
        assertTrue(c.isArray() && c.size() > 0, "paired comparisons: " + c);
        for (String f :
                List.of("model", "target", "ground_truth", "metric_a", "metric_b", "delta_spearman", "low", "high")) {
            assertTrue(c.get(0).has(f), "a comparison lacks " + f + ": " + c.get(0));
        }
    }

    @Test
    void theReportOpensInChromiumWithEveryImageAndTheValidationTable() throws Exception {
        Path index = Path.of(first.path("report").asText());
        assertEquals(out.resolve("report/index.html").toAbsolutePath(), index);
        String dom = HeadlessChromium.dumpDom(index, Files.createDirectories(tmp.resolve("chromium")));
        int figures = second.path("figures").size();
        assertTrue(
                figures >= 3 * settings.job().sweep().strata().size() + 2,
                "too few figures: " + second.path("figures"));
        HeadlessChromium.assertAllImagesLoaded(dom, figures);
        assertTrue(
                dom.contains("id=\"validation-table\"") && dom.contains("id=\"methods-table\""),
                "validation tables missing");
        String html = Files.readString(index);
        assertFalse(html.contains("http://") || html.contains("https://"), "the report must work without network");
        for (JsonNode f : second.path("figures")) {
            assertTrue(Files.size(out.resolve(f.asText())) > 1000, "empty figure " + f);
        }
    }

    @Test
    void theSecondRunReusesTheTrainedModelAndTheStoredTrials() {
        assertFalse(first.path("model").path("reused").asBoolean(), "the first run trains");
        assertTrue(second.path("model").path("reused").asBoolean(), "the second run must reuse the model");
        assertEquals(first.path("model").path("sha256"), second.path("model").path("sha256"));
        JsonNode sweep = second.path("sweep");
        assertEquals(0, sweep.path("trials_run").asLong(), "the second run must not rerun trials: " + sweep);
        for (JsonNode p : second.path("phases")) {
            if (List.of("train", "profile", "sensitivity", "select", "sweep")
                    .contains(p.path("phase").asText())) {
                assertTrue(p.path("reused").asBoolean(), "the second run must keep what the first computed: " + p);
            }
        }
        assertEquals(
                first.path("sweep").path("trials_total").asLong(),
                sweep.path("trials_skipped").asLong(),
                sweep::toString);
        assertEquals(
                withoutSearchTimes(first.path("methods")),
                withoutSearchTimes(second.path("methods")),
                "same picks and accuracies from the stored trials");
    }

    @Test
    void theNotebookExecutesAgainstTheStudysTables() throws Exception {
        Path repo = QuickstartSettings.defaultConfFile().getParent().getParent();
        Path notebook = repo.resolve("notebooks/study.ipynb");
        assertTrue(Files.isRegularFile(notebook), "missing " + notebook);
        String jupyter = executable(System.getenv().getOrDefault("RANKFORGE_JUPYTER", "jupyter"));
        if (jupyter == null) {
            fail("jupyter is not installed: the notebook test needs `jupyter nbconvert` (Debian: apt-get "
                    + "install jupyter-nbconvert "
                    + "python3-nbclient python3-ipykernel python3-pandas python3-matplotlib; then "
                    + "notebooks/install-deps.sh for pyarrow)");
        }
        Path pydeps = repo.resolve("notebooks/.pydeps");
        String pythonPath = (Files.isDirectory(pydeps) ? pydeps + File.pathSeparator : "")
                + System.getenv().getOrDefault("PYTHONPATH", "");
        Path python = Path.of(jupyter).toRealPath().resolveSibling("python3");
        String py = Files.isExecutable(python) ? python.toString() : "python3";
        ProcessBuilder checker = new ProcessBuilder(py, "-c", "import pyarrow, pandas, matplotlib")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        checker.environment().put("PYTHONPATH", pythonPath);
        Process check = checker.start();
        check.getOutputStream().close();
        if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
            fail(py + " cannot import pyarrow, pandas and matplotlib: run notebooks/install-deps.sh "
                    + "(it puts pyarrow into notebooks/.pydeps)");
        }
        Path executed = Files.createDirectories(tmp.resolve("nb"));
        ProcessBuilder pb = new ProcessBuilder(
                        jupyter,
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.timeout=300",
                        "--output-dir",
                        executed.toString(),
                        notebook.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("nbconvert.log").toFile());
        pb.environment().put("RANKFORGE_RESULTS", out.toAbsolutePath().toString());
        pb.environment().put("PYTHONPATH", pythonPath);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the notebook did not finish within 300 s");
        }
        String log = Files.readString(tmp.resolve("nbconvert.log"));
        assertEquals(0, p.exitValue(), () -> "jupyter nbconvert --execute failed:\n" + log);
        JsonNode nb = Json.MAPPER.readTree(executed.resolve("study.ipynb").toFile());
        int images = 0, tables = 0;
        for (JsonNode cell : nb.path("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                assertFalse(
                        o.path("output_type").asText().equals("error"),
                        "a cell failed: " + o.path("ename") + " " + o.path("evalue"));
                if (o.path("data").has("image/png")) {
                    images++;
                }
                if (o.path("data").has("text/html")) {
                    tables++;
                }
            }
        }
        assertTrue(images >= 3, "the notebook drew " + images + " figures, expected 3");
        assertTrue(
                tables >= 2,
                "the notebook showed " + tables + " tables, expected the validation and the methods table");
    }

    /** Method rows without their search times (the searches run again and take their own time). */
    private static String withoutSearchTimes(JsonNode methods) {
        JsonNode copy = methods.deepCopy();
        for (JsonNode m : copy) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) m).remove("search_seconds");
        }
        return copy.toString();
    }

    private static void inUnitInterval(double v, String what) {
        assertTrue(v > 0 && v <= 1, what + " must be in (0, 1], got " + v);
    }

    /** The command's path when it can be run (absolute, or found on PATH), else null. */
    private static String executable(String command) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command)) ? command : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path c = Path.of(dir, command);
            if (Files.isExecutable(c)) {
                return c.toString();
            }
        }
        return null;
    }
}
