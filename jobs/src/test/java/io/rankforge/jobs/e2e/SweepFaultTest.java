package io.rankforge.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.spark.Sessions;
import io.rankforge.jobs.store.FaultPoints;
import io.rankforge.jobs.store.OutputLock;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep killed (halted as SIGKILL would stop it: no shutdown hook, no finally block) at each moment a
 * crash can hurt, one after another on the same output folder: during a trial, with a batch's data and
 * half its manifest written, and with the table written beside its folder. Each rerun takes over the dead run's stale
 * lock, and the folder ends with the table of an uninterrupted run.
 */
class SweepFaultTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path conf, faults;
    static JobConfig config;

    @BeforeAll
    static void setUp() throws Exception {
        Path model = dir.resolve("lenet5.zip");
        Lenet5Fixture.train(model);
        String extra = """
                rankforge.sweep {
                  include-method-picks = false
                  samples-per-stratum = 3
                  fine-tune.enabled = false
                }
                """;
        conf = dir.resolve("base.conf");
        Files.writeString(conf, Lenet5Fixture.conf(model, dir.resolve("base"), extra));
        faults = dir.resolve("faults");
        Files.writeString(dir.resolve("faults.conf"), Lenet5Fixture.conf(model, faults, extra));
        config = JobConfig.load(conf, List.of());
        spark = Sessions.create(config.spark());
        try (JobContext ctx = JobContext.on(spark, config, Progress.SILENT)) {
            ProfileJob.run(ctx);
        }
        JobsEndToEndTest.copy(dir.resolve("base"), faults);
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static List<Row> trials(Path out) {
        return spark.read().parquet(out.resolve(Tables.TRIALS).toString()).collectAsList();
    }

    /**
     * Runs the sweep in a child JVM that halts at {@code point}; asserts it got there and, when the run before
     * was killed too, that it reported and took over that run's stale lock.
     */
    static String killAt(String point, int run, boolean afterKill) throws Exception {
        Path log = dir.resolve("run-" + run + ".log");
        Process p = new ProcessBuilder(ChildJvm.command(
                        FaultPoints.PROPERTY + "=" + point,
                        "sweep",
                        "--conf",
                        dir.resolve("faults.conf").toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code = p.waitFor();
        String out = Files.readString(log);
        assertEquals(FaultPoints.HALT_STATUS, code, point + ": " + out);
        assertTrue(out.contains("fault point reached: " + point.replace(":", " (") + ")"), point + ": " + out);
        assertTrue(Files.exists(faults.resolve(OutputLock.FILE)), "a killed run leaves its lock");
        if (afterKill) {
            assertTrue(out.contains("removing the stale lock"), "the previous run's lock is reported: " + out);
        }
        return out;
    }

    static SweepSummary rerun() {
        try (JobContext ctx =
                JobContext.on(spark, JobConfig.load(dir.resolve("faults.conf"), List.of()), Progress.SILENT)) {
            return SweepJob.run(ctx);
        }
    }

    @Test
    void aSweepKilledAtEveryHarmfulMomentEndsWithTheUninterruptedTable() throws Exception {
        SweepSummary base;
        try (JobContext ctx = JobContext.on(spark, config, Progress.SILENT)) {
            base = SweepJob.run(ctx);
        }
        List<String> expected = JobsEndToEndTest.comparable(trials(dir.resolve("base")));
        assertEquals(base.trialsTotal(), expected.size());
        assertTrue(base.trialsTotal() >= 6, "two strata of three samples: " + base);

        killAt("trial:3", 1, false); // a trial half-way: later trials of its batches never ran
        // a batch being committed: its data written and half its manifest (HdfsPipelineTest halts a driver
        // between the two, at journal-commit)
        killAt("journal-manifest:1", 2, true);
        killAt("table-rebuild:1", 3, true); // every trial stored, the table written beside its folder
        assertFalse(Files.exists(faults.resolve(Tables.TRIALS)), "the table never reached its place");

        SweepSummary s = rerun();
        assertEquals(base.trialsTotal(), s.trialsSkipped(), "every trial was stored before the table rebuild: " + s);
        assertEquals(0, s.trialsRun());
        assertEquals(expected, JobsEndToEndTest.comparable(trials(faults)), "same table as the uninterrupted run");

        try (Stream<Path> files = Files.list(faults)) {
            List<String> hidden = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".") && !n.endsWith(".crc"))
                    .toList();
            assertTrue(hidden.isEmpty(), "the killed rebuild's temporary table was removed: " + hidden);
        }
        assertFalse(Files.exists(faults.resolve(OutputLock.FILE)), "the last run released the lock");
    }
}
