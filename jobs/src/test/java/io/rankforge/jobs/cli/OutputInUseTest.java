package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.jobs.store.OutputLock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second writer on an output folder in use stops with one line naming the first, exit 2, writing nothing. */
class OutputInUseTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aSecondSweepOnAFolderInUseStopsNamingTheFirst() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Process first = new ProcessBuilder("sleep", "60").start();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            Files.writeString(
                    out.resolve(OutputLock.FILE),
                    "{\"lock_id\": \"first\", \"owner\": \"alice\", \"host\": \"" + host + "\", \"pid\": " + first.pid()
                            + ", \"started_at\": \"2026-12-03T10:00:00Z\", \"command\": \"sweep\"}");
            Path conf = dir.resolve("e.conf");
            Files.writeString(conf, "rankforge.experiment { output = \"" + out + "\", models = [\"m.zip\"] }\n");
            CliRun r = CliRun.of("sweep", "--conf", conf.toString(), "--json");
            assertEquals(2, r.code(), r.err());
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), r.err());
            String line = lines.get(0);
            assertTrue(
                    line.startsWith("rankforge sweep: error:")
                            && line.contains("in use")
                            && line.contains("alice")
                            && line.contains("pid " + first.pid())
                            && line.contains(host),
                    line);
            assertFalse(r.out().contains("{"), "no --json line on failure");
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(
                        List.of(OutputLock.FILE),
                        s.map(p -> p.getFileName().toString()).toList(),
                        "nothing written, the first run's lock untouched");
            }
            assertTrue(Files.readString(out.resolve(OutputLock.FILE)).contains("\"first\""));
        } finally {
            first.destroyForcibly().waitFor();
        }
    }
}
