package io.rankforge.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.benchmark.SmallBenchmark;
import io.rankforge.jobs.cli.CliRun;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rankforge benchmark} with its output on a real HDFS (an in-process NameNode and DataNode): the tables, the
 * trained model and the leaderboard are all under the hdfs:// output, summary.json names them there; a second driver
 * with an empty local folder fetches the published model (reused by digest, not trained again) and redoes no
 * compression.
 */
class BenchmarkOnHdfsTest {
    @TempDir
    static Path dir;

    static MiniDFSCluster cluster;
    static FileSystem hdfs;
    static String out;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniHdfs.start(dir);
        hdfs = cluster.getFileSystem();
        out = hdfs.getUri() + "/benchmarks/zoo";
    }

    @AfterAll
    static void stop() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    static JsonNode benchmark(Path localDir) {
        List<String> args = SmallBenchmark.args(
                out,
                List.of(
                        "spark.master=\"local[2]\"",
                        "spark.properties.\"spark.hadoop.dfs.replication\"=\"1\"",
                        "select.methods=[enc-map]",
                        "benchmark.local-dir=" + Json.line(localDir.toString())));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("rankforge: summary: " + out + "/summary.json"), r.err());
        return r.json();
    }

    static String read(String uri) throws Exception {
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(uri))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static boolean exists(String uri) throws Exception {
        return hdfs.exists(new org.apache.hadoop.fs.Path(uri));
    }

    @Test
    void theLeaderboardTheModelAndTheTablesLiveOnHdfsAndASecondDriverRedoesNothing() throws Exception {
        JsonNode first = benchmark(dir.resolve("driver-a"));
        assertEquals(first, Json.parse(read(out + "/summary.json"), "summary.json on HDFS"), "published last");
        assertEquals(out + "/leaderboard/index.html", first.path("report").asText());
        assertEquals(out + "/leaderboard.md", first.path("leaderboard_md").asText());
        assertTrue(read(first.path("report").asText()).contains("drop-vs-flops-lenet5.png"));
        assertTrue(exists(out + "/leaderboard/drop-vs-flops-lenet5.png"));
        assertTrue(read(out + "/leaderboard.md").contains("lenet5"));
        JsonNode model = first.path("models").get(0);
        assertEquals(out + "/models/lenet5.zip", model.path("file").asText());
        for (String f : List.of("lenet5.zip", "lenet5.json", "lenet5.zip.training.json")) {
            assertTrue(exists(out + "/models/" + f), f + " published");
        }
        assertFalse(model.path("reused").asBoolean());
        assertTrue(exists(out + "/benchmark/_SUCCESS"), "the benchmark table on HDFS");
        assertTrue(exists(out + "/profiles/_SUCCESS"), "the profile job's table on HDFS");
        assertEquals(1, first.path("results").size());
        assertTrue(Files.exists(dir.resolve("driver-a").resolve("models").resolve("lenet5.zip")), "the local copy");
        assertFalse(Files.exists(Path.of("hdfs:")), "no local folder named after the URI");

        // another driver: nothing local, everything it needs is published
        JsonNode second = benchmark(dir.resolve("driver-b"));
        assertTrue(second.path("models").get(0).path("reused").asBoolean(), "the published model, not retrained");
        assertEquals(model.path("sha256"), second.path("models").get(0).path("sha256"));
        assertEquals(
                1,
                second.path("run").path("compressions_skipped").asInt(),
                second.path("run").toString());
        assertEquals(0, second.path("run").path("compressions_run").asInt());
        assertEquals(first.path("results"), second.path("results"), "the stored compressions, read back");
    }
}
