package io.rankforge.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.e2e.Lenet5Fixture;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.store.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit path on a real standalone cluster: master and two workers on 127.0.0.1 from the
 * Maven jars, the shaded jar submitted through org.apache.spark.deploy.SparkSubmit, one worker (with
 * its executor) killed while the sweep runs. The sweep must complete on the surviving worker and the
 * trials table must hold every trial exactly once. Runs in integration-test, after package built the jar.
 */
class ClusterSweepIT {
    @TempDir
    Path dir;

    @Test
    void sweepSurvivesALostWorkerAndStoresEveryTrialOnce() throws Exception {
        Path jar = Path.of(System.getProperty("rankforge.shaded.jar", "target/missing.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built by package: " + jar);
        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertTrue(z.getEntry("io/rankforge/jobs/Main.class") != null);
            assertTrue(z.getEntry("org/nd4j/linalg/factory/Nd4j.class") != null, "ND4J is in the jar");
            assertTrue(
                    z.stream()
                            .noneMatch(e -> e.getName().startsWith("org/apache/spark/")
                                    || e.getName().startsWith("scala/")
                                    || e.getName().startsWith("org/apache/hadoop/")),
                    "Spark, Scala and Hadoop are provided, not shaded");
            String ref =
                    new String(z.getInputStream(z.getEntry("reference.conf")).readAllBytes());
            assertTrue(ref.contains("samples-per-stratum"), "the jobs' reference.conf is in the jar");
            assertTrue(
                    z.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")),
                    "no signatures");
        }

        Path model = dir.resolve("models/lenet5.zip");
        Lenet5Fixture.train(model);
        Path out = dir.resolve("out");
        Path conf = dir.resolve("cluster-test.conf");
        Files.writeString(conf, Lenet5Fixture.conf(model, out, """
                rankforge.sweep {
                  samples-per-stratum = 6, batch-size = 2, include-method-picks = false, fine-tune.enabled = false
                }
                rankforge.select.metric = pca
                """));
        // the profiles the sweep starts from, computed locally
        JobConfig config = JobConfig.load(conf, List.of());
        SparkSession local = io.rankforge.jobs.spark.Sessions.create(config.spark());
        try (JobContext ctx = JobContext.on(local, config, Progress.SILENT)) {
            ProfileJob.run(ctx);
        } finally {
            local.stop();
        }

        String flags = System.getProperty("rankforge.jvm.flags", io.rankforge.jobs.spark.JvmFlags.sparkFlags());
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), flags)) {
            Process w1 = cluster.addWorker(1, "1800m");
            cluster.addWorker(1, "1800m");
            Path log = dir.resolve("submit.log"), stdout = dir.resolve("submit.out");
            Process submit = cluster.submit(
                    stdout,
                    log,
                    List.of("spark.executor.memory=1200m", "spark.executor.cores=1"),
                    jar,
                    "io.rankforge.jobs.Main",
                    "sweep",
                    "--conf",
                    conf.toString(),
                    "--json");
            Path journal = out.resolve("_journal/trials");
            long deadline = System.currentTimeMillis() + 300_000;
            while (batches(journal) == 0 && submit.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(
                    submit.isAlive(), "the sweep was still running after its first batch:\n" + Files.readString(log));
            Path work1 = dir.resolve("cluster/logs/work-1");
            assertTrue(hasExecutor(work1), "worker 1 ran an executor of the sweep");
            StandaloneCluster.kill(w1); // the worker and its executor: a lost machine
            assertTrue(submit.waitFor(420, TimeUnit.SECONDS), "the sweep finished:\n" + Files.readString(log));
            String output = Files.readString(log);
            assertEquals(0, submit.exitValue(), output);
            assertTrue(
                    output.contains("Lost executor") || output.contains("lost executor"),
                    "the driver noticed the lost executor and rescheduled its tasks:\n" + output);
            String[] lines = Files.readString(stdout).strip().split("\n");
            JsonNode summary = Json.parse(lines[lines.length - 1], "the --json line");
            long total = summary.get("trials_total").asLong();
            assertEquals(12, total, "two strata of six samples");
            assertEquals(0, summary.get("trials_failed").asLong());
            assertEquals(total, summary.get("trials_run").asLong());
        }

        SparkSession reader = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows =
                    reader.read().parquet(out.resolve(Tables.TRIALS).toString()).collectAsList();
            assertEquals(12, rows.size());
            assertEquals(12, rows.stream().map(r -> r.getString(0)).distinct().count(), "every trial exactly once");
            for (Row r : rows) {
                assertEquals("ok", r.getAs("status"));
                double acc = r.getAs("accuracy");
                assertTrue(acc > 0 && acc <= 1);
            }
            JsonNode rec = Json.parse(Files.readString(out.resolve("trials/_rankforge.json")), "run record");
            assertNotNull(rec);
            assertTrue(
                    rec.get("spark_master").asText().startsWith("spark://127.0.0.1:"),
                    rec.get("spark_master").asText());
            assertFalse(rec.get("provenance").get("git_commit").asText().isEmpty());
        } finally {
            reader.stop();
        }
    }

    static long batches(Path journal) throws Exception {
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(journal)) {
            return s.filter(p -> p.getFileName().toString().startsWith("batch-"))
                    .count();
        }
    }

    static boolean hasExecutor(Path work) throws Exception {
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(work, 3)) {
            return s.anyMatch(p -> p.getFileName().toString().equals("stderr"));
        }
    }
}
