package io.rankforge.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir
    Path dir;

    @Test
    void opensLocalAndFileUrisAndWritesAtomically() throws Exception {
        ResultStore a =
                ResultStore.open(dir.resolve("a").toString(), new Configuration(), "rankforge.experiment.output");
        ResultStore b = ResultStore.open(
                dir.resolve("b").toUri().toString(), new Configuration(), "rankforge.experiment.output");
        // opening proves the folder writable but creates nothing: a run that then fails leaves no empty folder
        assertFalse(Files.exists(dir.resolve("a")) || Files.exists(dir.resolve("b")), "nothing created by open");
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no probe left behind");
        }
        assertEquals("file", b.root().toUri().getScheme());
        a.writeText(a.path("x/y.json"), "{}");
        a.writeText(a.path("x/y.json"), "{\"v\":2}");
        assertEquals("{\"v\":2}", a.readText(a.path("x/y.json")));
        try (var s = Files.list(dir.resolve("a/x"))) {
            // only the file and the local filesystem's checksum of it
            assertEquals(
                    List.of(".y.json.crc", "y.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp files left behind");
        }
    }

    @Test
    void unreachableOrUnwritableOutputIsAUserError() throws Exception {
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        UserInputException e1 = assertThrows(
                UserInputException.class,
                () -> ResultStore.open(
                        file.toString(), new Configuration(), "rankforge.experiment.output in e.conf:3"));
        assertTrue(e1.getMessage().contains("e.conf:3") && e1.getMessage().contains("not a folder"), e1.getMessage());
        UserInputException e2 = assertThrows(
                UserInputException.class,
                () -> ResultStore.open("nosuchfs://host/out", new Configuration(), "rankforge.experiment.output"));
        assertTrue(e2.getMessage().contains("nosuchfs://host/out"), e2.getMessage());
        UserInputException e3 = assertThrows(
                UserInputException.class,
                () -> ResultStore.open(
                        file.resolve("below").toString(), new Configuration(), "rankforge.experiment.output"));
        assertTrue(e3.getMessage().contains("cannot be written"), e3.getMessage());
    }

    @Test
    void aTableReplacementKilledHalfWayLeavesNothingBehindTheNextOne() throws Exception {
        ResultStore s = ResultStore.open(dir.toString(), new Configuration(), "test");
        // killed between the two renames of a replacement: the old table aside, the new one beside it
        Files.createDirectories(dir.resolve(".trials.old-1/part-0.parquet"));
        Files.createDirectories(dir.resolve(".trials.tmp-2/part-0.parquet"));
        Files.createDirectories(dir.resolve(".trialsx.tmp-3"));
        Tables.removeLeftovers(s, "trials");
        assertTrue(Files.notExists(dir.resolve(".trials.old-1")) && Files.notExists(dir.resolve(".trials.tmp-2")));
        assertTrue(Files.exists(dir.resolve(".trialsx.tmp-3")), "another table's folder is left alone");
    }
}
