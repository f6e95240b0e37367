package io.rankforge.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.select.SelectJob;
import io.rankforge.jobs.sensitivity.SensitivityJob;
import io.rankforge.jobs.spark.Sessions;
import io.rankforge.jobs.store.FaultPoints;
import io.rankforge.jobs.store.OutputLock;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import io.rankforge.jobs.validate.ValidateJob;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study on a real HDFS (an in-process NameNode and DataNode, the Hadoop version of the client): the model
 * read from hdfs://, profile → sensitivity → select → sweep → validate writing to hdfs://, a sweep driver
 * killed while committing its second batch and rerun (each trial exactly once), and everything a user or the
 * notebook reads back from HDFS: the tables, the Arrow export, the run records.
 */
class HdfsPipelineTest {
    @TempDir
    static Path dir;

    static MiniDFSCluster cluster;
    static SparkSession spark;
    static FileSystem hdfs;
    static String root;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniHdfs.start(dir);
        hdfs = cluster.getFileSystem();
        root = hdfs.getUri().toString();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    static <T> T read(String uri, java.util.function.Function<byte[], T> parse) throws Exception {
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(uri))) {
            return parse.apply(in.readAllBytes());
        }
    }

    @Test
    void theStudyRunsOnHdfsSurvivesAKilledDriverAndReadsBack() throws Exception {
        Path local = dir.resolve("lenet5.zip");
        Lenet5Fixture.train(local);
        String model = root + "/models/lenet5.zip";
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(model));
        String out = root + "/studies/e2e";
        Path conf = dir.resolve("hdfs.conf");
        Files.writeString(conf, Lenet5Fixture.conf(model, out, """
                        rankforge {
                          spark.properties { "spark.hadoop.dfs.replication" = "1" }
                          select { methods = [enc-map, optimal], budgets = [0.5] }
                          sweep {
                            strata = [0.5]
                            fine-tune.sample-strata = []
                          }
                        }
                        """));
        JobConfig config = JobConfig.load(conf, List.of());
        spark = Sessions.create(config.spark());
        try (JobContext ctx = JobContext.on(spark, config, Progress.SILENT)) {
            assertEquals("hdfs", ctx.store().root().toUri().getScheme());
            assertTrue(ctx.store().atomicRename(), "HDFS renames atomically: tables are renamed into place");
            ProfileJob.run(ctx);
            SensitivityJob.run(ctx);
            SelectJob.run(ctx);
            assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(out, OutputLock.FILE)), "the run holds the lock");
        }

        // a sweep driver killed (as by SIGKILL) while committing its second batch: its data written, no manifest
        List<String> cmd =
                ChildJvm.command(FaultPoints.PROPERTY + "=journal-commit:2", "sweep", "--conf", conf.toString());
        Path log = dir.resolve("killed.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertEquals(FaultPoints.HALT_STATUS, p.waitFor(), Files.readString(log));
        assertTrue(Files.readString(log).contains("fault point reached: journal-commit (2)"), Files.readString(log));
        org.apache.hadoop.fs.Path journal = new org.apache.hadoop.fs.Path(out, "_journal/trials");
        assertEquals(1, count(journal, "batch-"), "one batch committed before the kill");
        assertEquals(2, count(journal, "data-"), "the second batch's data, never listed by a manifest");

        SweepSummary s;
        try (JobContext ctx = JobContext.on(spark, config, Progress.SILENT)) {
            s = SweepJob.run(ctx);
            ValidateJob.run(ctx);
        }
        assertEquals(2, s.trialsSkipped(), "the committed batch (batch-size 2) is not rerun: " + s);
        assertEquals(s.trialsTotal(), s.trialsSkipped() + s.trialsRun());
        assertEquals(0, s.trialsFailed());
        assertEquals(count(journal, "batch-"), count(journal, "data-"), "the uncommitted data was removed");
        assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path(out, OutputLock.FILE)), "the lock is released");

        List<Row> trials = spark.read().parquet(out + "/trials").collectAsList();
        assertEquals(s.trialsTotal(), trials.size());
        Set<String> ids = new HashSet<>();
        trials.forEach(r -> ids.add(r.getString(0)));
        assertEquals(trials.size(), ids.size(), "each trial exactly once");

        // what the notebook reads: trials.arrow and the Parquet folders profiles/, selections/, validation/
        long arrowRows = read(out + "/trials.arrow", bytes -> {
            try (BufferAllocator a = new RootAllocator();
                    ArrowFileReader r = new ArrowFileReader(
                            new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(bytes)), a)) {
                long n = 0;
                while (r.loadNextBatch()) {
                    n += r.getVectorSchemaRoot().getRowCount();
                }
                return n;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(trials.size(), arrowRows);
        for (String t : List.of(Tables.PROFILES, Tables.SELECTIONS, Tables.VALIDATION)) {
            assertFalse(spark.read().parquet(out + "/" + t).isEmpty(), t);
            JsonNode rec = read(out + "/" + t + "/" + Tables.RECORD_FILE, b -> Json.parse(new String(b), t));
            assertEquals(out, rec.at("/config/rankforge/experiment/output").asText());
        }
        Set<String> jobs = new HashSet<>();
        for (FileStatus st : hdfs.listStatus(new org.apache.hadoop.fs.Path(out, "_runs"))) {
            jobs.add(read(st.getPath().toString(), b -> Json.parse(new String(b), "run record"))
                    .get("job")
                    .asText());
        }
        assertTrue(jobs.containsAll(List.of("profile", "sensitivity", "select", "sweep", "validate")), jobs.toString());
    }

    static long count(org.apache.hadoop.fs.Path dir, String prefix) throws Exception {
        return java.util.Arrays.stream(hdfs.listStatus(dir))
                .filter(st -> st.getPath().getName().startsWith(prefix))
                .count();
    }
}
