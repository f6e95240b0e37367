package io.rankforge.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.jobs.config.FineTuneSettings;
import io.rankforge.jobs.run.TrialId;
import io.rankforge.jobs.store.ResultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialJournalTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static TrialSpec spec(int r1, int r2) {
        List<String> layers = List.of("conv1", "fc1");
        String id = TrialId.of("d1", RankConfiguration.of(layers, new int[] {r1, r2}), "none", 5);
        return new TrialSpec(
                id,
                "m",
                "d1",
                layers,
                new int[] {r1, r2},
                "20-30%",
                0.2,
                0.3,
                "random",
                List.of(),
                0.25,
                0.3,
                Double.NaN,
                Map.of("pca", 0.5),
                FineTuneSettings.NONE,
                TrialId.taskSeed(5, id));
    }

    static TrialResult ok(TrialSpec s, double acc, long at) {
        return new TrialResult(s, true, null, acc, Double.NaN, Double.NaN, 1.0, "h", at, TrialCost.unmeasured("plain"));
    }

    @Test
    void idsAndSeedsAreStableAndDistinct() {
        List<String> layers = List.of("conv1", "fc1");
        var c = RankConfiguration.of(layers, new int[] {3, 4});
        assertEquals(TrialId.of("d", c, "none", 1), TrialId.of("d", c, "none", 1));
        assertNotEquals(TrialId.of("d", c, "none", 1), TrialId.of("d", c, "none", 2), "seed is part of the id");
        assertNotEquals(TrialId.of("d", c, "none", 1), TrialId.of("e", c, "none", 1), "model digest too");
        assertNotEquals(
                TrialId.of("d", c, "none", 1),
                TrialId.of("d", c, new FineTuneSettings(true, 1, 1e-3, 64, 100, List.of()).identity(), 1));
        assertNotEquals(
                TrialId.of("d", c, "none", 1),
                TrialId.of("d", RankConfiguration.of(layers, new int[] {4, 3}), "none", 1));
        // how a trial is measured is part of it: test images and batch-norm calibration images
        var base = io.rankforge.jobs.config.JobConfig.load(null, List.of());
        var ft = base.sweep().fineTune();
        String m = SweepPlan.measurement(base, ft);
        assertEquals(
                m,
                SweepPlan.measurement(
                        io.rankforge.jobs.config.JobConfig.load(null, List.of("sweep.samples-per-stratum=3")), ft),
                "settings that do not change a trial's measurement leave its id alone");
        assertNotEquals(
                m,
                SweepPlan.measurement(
                        io.rankforge.jobs.config.JobConfig.load(null, List.of("data.calibration-images=0")), ft));
        assertNotEquals(
                m,
                SweepPlan.measurement(
                        io.rankforge.jobs.config.JobConfig.load(null, List.of("data.test-images=500")), ft));
        String id = TrialId.of("d", c, "none", 1);
        assertEquals(TrialId.taskSeed(1, id), TrialId.taskSeed(1, id));
        assertNotEquals(TrialId.taskSeed(1, id), TrialId.taskSeed(2, id));
    }

    @Test
    void committedBatchesDedupeToOneRowPerTrialPreferringSuccess() throws Exception {
        ResultStore store =
                ResultStore.open(dir.toString(), spark.sparkContext().hadoopConfiguration(), "test");
        TrialJournal j = new TrialJournal(spark, store, "trials", TrialRows.SCHEMA);
        TrialSpec a = spec(3, 4), b = spec(5, 6);
        j.commit(List.of(
                TrialRows.toRow(TrialResult.failed(
                        a, new OutOfMemoryError("Java heap space"), 2, "h", TrialCost.unmeasured("plain"))),
                TrialRows.toRow(ok(b, 0.8, 10))));
        j.commit(List.of(TrialRows.toRow(ok(a, 0.7, 20))));
        j.commit(List.of(TrialRows.toRow(ok(b, 0.8, 30)))); // a retried task's duplicate
        // what a killed driver leaves behind: a half-written temporary folder
        Files.createDirectories(dir.resolve("_journal/trials/.tmp-dead/part-0.parquet"));
        j.cleanUp();
        assertFalse(Files.exists(dir.resolve("_journal/trials/.tmp-dead")));
        assertEquals(3, j.batches().size());

        List<Row> rows = j.rows().collectAsList();
        assertEquals(2, rows.size());
        Map<String, String> st = j.statuses();
        assertEquals("ok", st.get(a.trialId()), "the success wins over the earlier failure");
        assertEquals("ok", st.get(b.trialId()));
        Row ra = rows.stream()
                .filter(r -> r.getString(0).equals(a.trialId()))
                .findFirst()
                .orElseThrow();
        assertEquals(0.7, (double) ra.getAs("accuracy"), 1e-12);

        TrialRow failedOnly = new TrialRow();
        assertTrue(failedOnly.check(store, spark));
    }

    /** A failed trial keeps its error in the table. */
    static final class TrialRow {
        boolean check(ResultStore store, SparkSession spark) {
            TrialJournal j = new TrialJournal(spark, store, "other", TrialRows.SCHEMA);
            TrialSpec c = spec(7, 8);
            j.commit(List.of(TrialRows.toRow(TrialResult.failed(
                    c,
                    new ArithmeticException("fine-tuning diverged: loss is NaN"),
                    1,
                    "h",
                    TrialCost.unmeasured("plain")))));
            Row r = j.rows().collectAsList().get(0);
            return r.getAs("status").equals("failed")
                    && r.<String>getAs("error").contains("loss is NaN")
                    && r.isNullAt(r.fieldIndex("accuracy"));
        }
    }
}
