package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.jobs.e2e.Lenet5Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the Spark jobs: a malformed configuration, an unreachable output, a model file that
 * is not a model. Each is one clear line on stderr, exit code 2, and no Spark job ever started.
 */
class JobErrorsTest {
    static SparkSession spark;
    static final AtomicInteger JOBS = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        // the commands reuse this session (and leave it running), so the listener sees any job they start
        spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                JOBS.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path conf(String text) throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void malformedConfiguration() throws Exception {
        int before = JOBS.get();
        CliRun r = run(
                "sweep",
                "--conf",
                conf("rankforge.sweep { samples-per-stratum = 3\n").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.conf") && r.err().startsWith("rankforge sweep: error:"), r.err());
        CliRun u = run(
                "validate",
                "--conf",
                conf("rankforge.validate.bootstrap-sample = 10\n").toString(),
                "--json");
        assertEquals(2, u.code());
        assertTrue(
                u.err().contains("rankforge.validate.bootstrap-sample")
                        && u.err().contains("bad.conf:1"),
                u.err());
        assertFalse(u.out().contains("{"), "no --json line on failure");
        assertEquals(before, JOBS.get(), "no Spark job started");
    }

    @Test
    void unreachableOutput() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        int before = JOBS.get();
        CliRun r = run(
                "profile",
                "--conf",
                conf("rankforge.experiment { output = \"" + file.resolve("out") + "\", models = [\"m.zip\"] }\n")
                        .toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("rankforge.experiment.output") && r.err().contains("cannot be written"), r.err());
        assertEquals(
                1, r.err().strip().lines().filter(l -> l.contains("error:")).count());
        CliRun s = run(
                "sweep",
                "--conf",
                conf("rankforge.experiment { output = \"nosuchfs://x/out\", models = [\"m.zip\"] }\n")
                        .toString());
        assertEquals(2, s.code());
        assertTrue(s.err().contains("nosuchfs://x/out"), s.err());
        assertEquals(before, JOBS.get(), "no Spark job started");
    }

    @Test
    void aModelFileThatIsNotAModel() throws Exception {
        Path notModel = dir.resolve("notes.zip");
        Files.writeString(notModel, "these are not weights");
        int before = JOBS.get();
        CliRun r = run(
                "profile",
                "--conf",
                conf(Lenet5Fixture.conf(notModel, dir.resolve("out"), "")).toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("notes.zip") && r.err().contains("rankforge.experiment.models"), r.err());
        CliRun m = run(
                "sensitivity",
                "--conf",
                conf(Lenet5Fixture.conf(dir.resolve("missing.zip"), dir.resolve("out"), ""))
                        .toString());
        assertEquals(2, m.code());
        assertTrue(m.err().contains("missing.zip") && m.err().contains("does not exist"), m.err());
        assertEquals(before, JOBS.get(), "no Spark job started");
    }
}
