package io.rankforge.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.benchmark.SmallBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankforge benchmark} through spark-submit on a real standalone cluster (master and a worker on 127.0.0.1),
 * with the configuration file a user runs locally (conf/zoo-benchmark-small.conf, reduced by --set only): the
 * compressions run as tasks on the cluster's executor, and a second submission resumes (reuses the model, redoes no
 * compression). Runs in integration-test, after package built the jar.
 */
class ClusterBenchmarkIT {
    @TempDir
    Path dir;

    @Test
    void theBenchmarkRunsUnchangedUnderSparkSubmitAndResumes() throws Exception {
        Path jar = Path.of(System.getProperty("rankforge.shaded.jar", "target/missing.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built by package: " + jar);
        Path out = dir.resolve("bench");
        String flags = System.getProperty("rankforge.jvm.flags", io.rankforge.jobs.spark.JvmFlags.sparkFlags());
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), flags)) {
            cluster.addWorker(1, "1800m");
            JsonNode first = submit(cluster, jar, out, "first");
            assertEquals(2, first.path("results").size(), "lenet5 x two methods x one budget");
            for (JsonNode r : first.path("results")) {
                double acc = r.path("accuracy_finetuned").asDouble();
                assertTrue(acc > 0 && acc <= 1, r.toString());
                assertTrue(r.path("flops_ratio").asDouble() <= 0.5 * (1 + 1e-9), r.toString());
            }
            assertEquals(2, first.path("run").path("compressions_run").asInt());
            assertTrue(ClusterSweepIT.hasExecutor(dir.resolve("cluster/logs/work-1")), "the worker ran an executor");

            JsonNode second = submit(cluster, jar, out, "second");
            assertTrue(second.path("models").get(0).path("reused").asBoolean(), "the model, not trained again");
            assertEquals(
                    2,
                    second.path("run").path("compressions_skipped").asInt(),
                    second.path("run").toString());
            assertEquals(0, second.path("run").path("compressions_run").asInt());
            assertEquals(first.path("results"), second.path("results"));
        }
        JsonNode rec = Json.parse(Files.readString(out.resolve("benchmark/_rankforge.json")), "run record");
        assertTrue(
                rec.path("spark_master").asText().startsWith("spark://127.0.0.1:"),
                "spark-submit's master wins over the file's local[*]: " + rec.path("spark_master"));
    }

    private JsonNode submit(StandaloneCluster cluster, Path jar, Path out, String name) throws Exception {
        List<String> args = SmallBenchmark.args(out.toString(), List.of());
        Path log = dir.resolve(name + ".log"), stdout = dir.resolve(name + ".out");
        Process submit = cluster.submit(
                stdout,
                log,
                List.of("spark.executor.memory=1200m", "spark.executor.cores=1"),
                jar,
                "io.rankforge.jobs.Main",
                args.toArray(String[]::new));
        assertTrue(submit.waitFor(420, TimeUnit.SECONDS), "the benchmark finished:\n" + Files.readString(log));
        assertEquals(0, submit.exitValue(), Files.readString(log));
        String[] lines = Files.readString(stdout).strip().split("\n");
        return Json.parse(lines[lines.length - 1], "the --json line");
    }
}
