package io.rankforge.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.Main;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.select.SelectJob;
import io.rankforge.jobs.sensitivity.SensitivityJob;
import io.rankforge.jobs.spark.JvmFlags;
import io.rankforge.jobs.spark.Sessions;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import io.rankforge.jobs.validate.ValidateJob;
import io.rankforge.runtime.NativeBackend;
import io.rankforge.validation.RankAgreement;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job end to end on local[2], on a lenet5 trained briefly on real Fashion-MNIST: profile (through
 * the CLI), sensitivity, select, sweep (then a rerun that skips everything, and a driver killed
 * part-way whose rerun ends with the same table), validate; outputs read back and checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsEndToEndTest {
    @TempDir
    static Path dir;

    static Path model, conf, out;
    static SparkSession spark;
    static JobConfig config;
    static JobContext ctx;
    static double testAccuracy;

    @BeforeAll
    static void setUp() throws Exception {
        model = dir.resolve("models/lenet5.zip");
        testAccuracy = Lenet5Fixture.train(model);
        out = dir.resolve("out");
        conf = dir.resolve("e2e.conf");
        Files.writeString(conf, Lenet5Fixture.conf(model, out, ""));
        config = JobConfig.load(conf, List.of());
        spark = Sessions.create(config.spark());
        ctx = JobContext.on(spark, config, Progress.SILENT);
    }

    @AfterAll
    static void tearDown() {
        if (ctx != null) {
            ctx.close();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    static List<Row> table(String name) {
        return spark.read().parquet(out.resolve(name).toString()).collectAsList();
    }

    @Test
    @Order(1)
    void profileThroughTheCli() {
        assertTrue(testAccuracy > 0.5, "the fixture learned something: " + testAccuracy);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.run("profile", "--conf", conf.toString(), "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode summary = Json.parse(lines[lines.length - 1], "--json line");
        assertEquals("profile", summary.get("job").asText());

        List<Row> rows = table(Tables.PROFILES);
        assertEquals(summary.get("layers").asInt(), rows.size());
        assertTrue(rows.size() >= 4, "lenet5 has at least two convolutions and two dense layers");
        for (Row r : rows) {
            List<Double> sv = r.getList(r.fieldIndex("singular_values"));
            int fullRank = r.getAs("full_rank"), rMax = r.getAs("r_max");
            assertEquals(fullRank, sv.size(), "every singular value of " + r.getAs("layer"));
            for (int i = 1; i < sv.size(); i++) {
                assertTrue(sv.get(i) <= sv.get(i - 1) * (1 + 1e-9), "descending");
            }
            assertTrue(sv.get(0) > 0);
            List<Double> yp = r.getList(r.fieldIndex("pca_energy"));
            assertEquals(rMax + 1, yp.size());
            assertEquals(0.0, yp.get(0), 1e-12);
            assertEquals(1.0, yp.get(rMax), 1e-12);
            for (double v : yp) {
                assertTrue(v >= 0 && v <= 1 + 1e-12);
            }
            assertTrue(r.<Double>getAs("macs_per_rank") > 0 && rMax >= 1 && rMax <= fullRank);
        }
        JsonNode rec = Tables.record(ctx.store(), Tables.PROFILES);
        assertNotNull(rec, "the run record is stored with the table");
        assertEquals("local[2]", rec.get("spark_master").asText());
        assertEquals(spark.version(), rec.get("spark_version").asText());
        assertEquals(11, rec.get("seed").asLong());
        assertEquals(
                4,
                rec.get("config").at("/rankforge/sweep/samples-per-stratum").asInt(),
                "resolved configuration stored");
        assertFalse(rec.get("provenance").get("git_commit").asText().isEmpty());
        assertTrue(Files.isRegularFile(out.resolve("profile-json/lenet5.json")));
    }

    @Test
    @Order(2)
    void sensitivity() {
        SensitivityJob.Result r = SensitivityJob.run(ctx);
        List<Row> rows = table(Tables.SENSITIVITY);
        assertEquals(r.samples(), rows.size());
        Map<String, Set<Integer>> ranks = new HashMap<>();
        for (Row x : rows) {
            double acc = x.getAs("accuracy"), base = x.getAs("base_accuracy"), ym = x.getAs("y_m");
            assertTrue(acc >= 0 && acc <= 1 && base > 0.3 && base <= 1, x.toString());
            assertEquals(acc / base, ym, 1e-12);
            assertEquals(400, (int) x.getAs("images"));
            ranks.computeIfAbsent(x.getAs("layer"), k -> new HashSet<>()).add(x.getAs("rank"));
        }
        assertEquals(table(Tables.PROFILES).size(), ranks.size(), "every layer is measured");
        for (Set<Integer> s : ranks.values()) {
            assertTrue(s.size() >= 2, "several sample ranks per layer");
        }
        // the sample at r_max of a layer is the all-r_max network itself: y_m = 1 exactly
        for (Row x : rows) {
            if ((int) x.getAs("rank") == (int) x.getAs("r_max")) {
                assertEquals(1.0, (double) x.getAs("y_m"), 1e-12);
            }
        }
    }

    @Test
    @Order(3)
    void select() {
        SelectJob.Result r = SelectJob.run(ctx);
        List<Row> rows = table(Tables.SELECTIONS);
        assertEquals(
                config.select().methods().size() * config.select().budgets().size(), rows.size());
        assertEquals(r.selections() + r.failed(), rows.size());
        for (Row x : rows) {
            if (!"ok".equals(x.getAs("status"))) {
                // only ENC-Model and ENC-Inf (the same bounded space) may find nothing in its 0.5% window below
                // the budget on a network this small; they say why
                assertTrue(List.of("enc-model", "enc-inf").contains(x.<String>getAs("method")), x.toString());
                assertTrue(x.<String>getAs("error").contains("enc-model"), x.toString());
                continue;
            }
            double budget = x.getAs("budget"), ratio = x.getAs("flops_ratio");
            assertTrue(
                    ratio > 0 && ratio <= budget * (1 + 1e-9),
                    x.getAs("method") + " at " + budget + " costs " + ratio + ": every pick at or below its budget");
            assertEquals(32, x.<String>getAs("trial_id").length());
        }
        // ENC-Inf's pick is one of its evaluated candidates, the most accurate one
        List<Row> cands = table(Tables.CANDIDATES);
        for (double budget : config.select().budgets()) {
            List<Row> c = cands.stream()
                    .filter(x -> (double) x.getAs("budget") == budget)
                    .toList();
            Row pick = rows.stream()
                    .filter(x -> x.getAs("method").equals("enc-inf") && (double) x.getAs("budget") == budget)
                    .findFirst()
                    .orElseThrow();
            if (!"ok".equals(pick.getAs("status"))) {
                assertTrue(c.isEmpty(), "no candidate is stored where ENC-Inf's window held none");
                continue;
            }
            assertTrue(
                    c.size() >= 1 && c.size() <= 4,
                    "at most enc-inf-candidates = 4 evaluated at budget " + budget + ": " + c.size());
            assertEquals(c.size(), (int) pick.getAs("candidates"));
            double best = c.stream()
                    .mapToDouble(x -> x.getAs("heldout_accuracy"))
                    .max()
                    .orElseThrow();
            assertEquals(best, (double) pick.getAs("heldout_accuracy"), 1e-12);
            List<Row> chosen = c.stream().filter(x -> x.getAs("chosen")).toList();
            assertEquals(1, chosen.size());
            assertEquals(
                    chosen.get(0).getList(chosen.get(0).fieldIndex("ranks")), pick.getList(pick.fieldIndex("ranks")));
        }
    }

    @Test
    @Order(4)
    void sweepStoresEveryTrialOnceAndAResumeSkipsThem() throws Exception {
        copy(out, dir.resolve("out-killed")); // profiles and selections, for the killed-driver run below
        SweepSummary s = SweepJob.run(ctx);
        assertEquals(0, s.trialsSkipped());
        assertEquals(s.trialsTotal(), s.trialsRun());
        assertEquals(0, s.trialsFailed());
        assertEquals(s.trialsRun(), s.cost().trials());
        assertTrue(s.cost().evaluate() > 0 && s.cost().taskSeconds() >= s.cost().evaluate());
        assertTrue(
                s.cost().overheadPerTrial() >= 0 && s.cost().trialsPerHour() > 0,
                s.cost().toString());
        List<Row> rows = table(Tables.TRIALS);
        assertEquals(s.trialsTotal(), rows.size());
        assertEquals(
                rows.size(), rows.stream().map(x -> x.getString(0)).distinct().count(), "each trial once");
        int sampled = 0, picks = 0;
        for (Row x : rows) {
            assertEquals("ok", x.getAs("status"));
            double acc = x.getAs("accuracy");
            assertTrue(acc > 0 && acc <= 1, "accuracy " + acc);
            // the trial's cost breakdown: each measured phase took time, and together no more than the task
            double phases = 0;
            for (String phase : List.of("decompose_s", "recalibrate_s", "evaluate_s")) {
                double t = x.getAs(phase);
                assertTrue(t > 0, phase + " " + t);
                phases += t;
            }
            if (x.<Boolean>getAs("fine_tuned")) {
                phases += x.<Double>getAs("fine_tune_s") + x.<Double>getAs("evaluate_finetuned_s");
            } else {
                assertNull(x.getAs("fine_tune_s"), "a trial that is not fine-tuned has no fine-tuning time");
            }
            assertTrue(phases <= x.<Double>getAs("seconds") + 1e-6, "phases within the task's wall time");
            assertEquals(NativeBackend.selected().label(), x.getAs("native_build"));
            if ("random".equals(x.getAs("source"))) {
                sampled++;
                double ratio = x.getAs("flops_ratio");
                assertTrue(
                        ratio >= (double) x.getAs("stratum_low") * (1 - 1e-9)
                                && ratio <= (double) x.getAs("stratum_high") * (1 + 1e-9),
                        "a sample costs within its stratum's window");
                assertEquals(
                        "50%".equals(x.getAs("stratum")),
                        x.<Boolean>getAs("fine_tuned"),
                        "the samples of the 50% stratum (fine-tune.sample-strata) are fine-tuned, the others not");
                assertNotNull(x.getAs("metric_pca"));
                assertNotNull(x.getAs("metric_measured"));
            } else {
                picks++;
                assertTrue(x.<Boolean>getAs("fine_tuned"), "picks are fine-tuned");
                double tuned = x.getAs("accuracy_finetuned");
                assertTrue(tuned > 0 && tuned <= 1);
            }
        }
        assertEquals(2 * 4, sampled, "samples-per-stratum in each of two strata");
        assertTrue(picks >= 1
                && picks
                        <= config.select().methods().size()
                                * config.select().budgets().size());
        // the model reached this (local) executor once, however many tasks used it
        String digest = rows.get(0).getAs("model_digest");
        assertEquals(1, ExecutorCache.loads(digest));

        // Arrow export: same rows, readable
        try (BufferAllocator a = new RootAllocator();
                FileInputStream in =
                        new FileInputStream(out.resolve("trials.arrow").toFile());
                ArrowFileReader reader = new ArrowFileReader(in.getChannel(), a)) {
            int n = 0;
            while (reader.loadNextBatch()) {
                n += reader.getVectorSchemaRoot().getRowCount();
            }
            assertEquals(rows.size(), n);
            assertEquals(
                    "trial_id",
                    reader.getVectorSchemaRoot().getSchema().getFields().get(0).getName());
        }

        SweepSummary again = SweepJob.run(ctx);
        assertEquals(s.trialsTotal(), again.trialsTotal());
        assertEquals(0, again.trialsRun());
        assertEquals(s.trialsTotal(), again.trialsSkipped());
        assertEquals(comparable(rows), comparable(table(Tables.TRIALS)));
    }

    @Test
    @Order(5)
    void aKilledDriverResumesToTheSameTable() throws Exception {
        Path killedOut = dir.resolve("out-killed");
        Path killedConf = dir.resolve("killed.conf");
        Files.writeString(killedConf, Lenet5Fixture.conf(model, killedOut, ""));
        Path journal = killedOut.resolve("_journal/trials");
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        cmd.addAll(List.of(JvmFlags.sparkFlags().split("\\s+")));
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.rankforge.jobs.Main",
                "sweep",
                "--conf",
                killedConf.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 180_000;
        while (batches(journal) == 0 && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(
                p.isAlive(),
                "the driver was still running after its first batch: " + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long committed = batches(journal);
        assertTrue(committed >= 1);

        JobConfig c2 = JobConfig.load(killedConf, List.of());
        try (JobContext k = JobContext.on(spark, c2, Progress.SILENT)) {
            SweepSummary s = SweepJob.run(k);
            assertTrue(s.trialsSkipped() >= 2, "the committed batch (batch-size 2) is not rerun: " + s);
            assertEquals(s.trialsTotal(), s.trialsSkipped() + s.trialsRun());
            assertTrue(s.trialsRun() > 0, "the killed driver had not finished: " + s);
        }
        List<Row> resumed = spark.read()
                .parquet(killedOut.resolve(Tables.TRIALS).toString())
                .collectAsList();
        assertEquals(comparable(table(Tables.TRIALS)), comparable(resumed), "same table as the uninterrupted run");
    }

    @Test
    @Order(6)
    void validate() {
        ValidateJob.Result r = ValidateJob.run(ctx);
        List<Row> rows = table(Tables.VALIDATION);
        assertEquals(r.rows().size(), rows.size());
        List<Row> metricRows =
                rows.stream().filter(x -> x.getAs("kind").equals("metric")).toList();
        List<Row> pickRows =
                rows.stream().filter(x -> x.getAs("kind").equals("pick")).toList();
        assertEquals(
                table(Tables.SELECTIONS).stream()
                        .filter(x -> "ok".equals(x.getAs("status")))
                        .count(),
                pickRows.size(),
                "one row per method and budget that picked something");
        assertFalse(metricRows.isEmpty());
        Set<String> metrics = new HashSet<>();
        Set<String> finetunedStrata = new HashSet<>();
        for (Row x : metricRows) {
            metrics.add(x.getAs("metric"));
            int n = x.getAs("samples");
            assertEquals(4, n, "a stratum's statistics use its random samples only, never the picks");
            assertFalse(x.<Boolean>getAs("too_few"), "min-samples = 3");
            assertEquals(0.95, x.<Double>getAs("confidence"), 0);
            if (x.getAs("ground_truth").equals("accuracy_finetuned")) {
                finetunedStrata.add(x.getAs("stratum"));
            }
            double lo = x.getAs("cost_low"), hi = x.getAs("cost_high");
            double target = x.getAs("target");
            assertTrue(lo <= hi && hi <= target * (1 + 1e-9) && lo >= (target - 0.005) * (1 - 1e-9), lo + " " + hi);
            Double rho = x.getAs("spearman");
            if (rho != null) {
                assertTrue(rho >= -1 && rho <= 1);
                Double slo = x.getAs("spearman_low"), shi = x.getAs("spearman_high");
                if (slo != null) {
                    assertTrue(slo <= shi && slo >= -1 && shi <= 1);
                }
            }
            double regret = x.getAs("regret");
            assertTrue(regret >= 0 && regret <= 1);
        }
        assertEquals(Set.of("50%"), finetunedStrata, "fine-tuned ground truth only where samples were fine-tuned");
        assertTrue(metrics.containsAll(List.of("pca", "measured", "combined")), "metrics validated: " + metrics);
        // the stored Spearman is recomputed from the trials table over the stratum's random samples
        Row any = metricRows.stream()
                .filter(x ->
                        x.getAs("spearman") != null && x.getAs("ground_truth").equals("accuracy"))
                .findFirst()
                .orElseThrow();
        List<Row> samples = spark.read()
                .parquet(out.resolve(Tables.TRIALS).toString())
                .where(col("stratum")
                        .equalTo(any.<String>getAs("stratum"))
                        .and(col("status").equalTo("ok"))
                        .and(col("source").equalTo("random")))
                .collectAsList();
        double[] m = samples.stream()
                .mapToDouble(x -> x.getAs("metric_" + any.getAs("metric")))
                .toArray();
        double[] a = samples.stream().mapToDouble(x -> x.getAs("accuracy")).toArray();
        assertEquals(RankAgreement.spearman(m, a), (double) any.getAs("spearman"), 1e-9);
        assertFalse(
                rows.stream().noneMatch(x -> x.getAs("kind").equals("comparison")),
                "paired comparisons of the metrics");
        for (Row x : pickRows) {
            Double acc = x.getAs("accuracy");
            assertNotNull(acc, "every pick was evaluated: " + x);
            assertTrue(acc > 0 && acc <= 1);
            Double pct = x.getAs("percentile");
            if (x.getAs("stratum") != null) {
                assertNotNull(pct, "a pick at a stratum's budget has a percentile");
                assertTrue(pct >= 0 && pct <= 100);
            }
        }
    }

    /** Rows without the columns that legitimately differ between runs (timing, host). */
    static List<String> comparable(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            StringBuilder b = new StringBuilder();
            for (String f : r.schema().fieldNames()) {
                // where and how long a trial ran is not part of its result
                if (f.equals("seconds") || f.equals("host") || f.equals("finished_at") || f.endsWith("_s")) {
                    continue;
                }
                Object v = r.get(r.fieldIndex(f));
                b.append(f).append('=').append(v).append(';');
            }
            out.add(b.toString());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static long batches(Path journal) throws Exception {
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(journal)) {
            return s.filter(p -> p.getFileName().toString().startsWith("batch-") && complete(p))
                    .count();
        }
    }

    /** A batch counts once its manifest is whole: it is written in place (no rename), so it exists before then. */
    private static boolean complete(Path manifest) {
        try {
            JsonNode o = Json.MAPPER.readTree(Files.readString(manifest));
            return o != null && o.path("rows").canConvertToLong();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Copies an output folder, without the lock of the run that may hold it. */
    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().equals(io.rankforge.jobs.store.OutputLock.FILE)) {
                    continue;
                }
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
