package io.rankforge.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.UserInputException;
import io.rankforge.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder's lock: who holds it, a second writer stopped, stale locks reported and taken over. */
class OutputLockTest {
    @TempDir
    Path dir;

    ResultStore store() {
        return ResultStore.open(dir.toString(), new Configuration(), "test");
    }

    /** A lock file as another process on this host would write it. */
    void heldBy(long pid) throws Exception {
        Files.writeString(dir.resolve(OutputLock.FILE), """
                {"lock_id": "other", "owner": "alice", "host": "%s", "pid": %d,
                 "started_at": "2026-12-03T10:00:00Z", "command": "io.rankforge.jobs.Main sweep"}
                """.formatted(OutputLock.hostName(), pid));
    }

    @Test
    void theLockNamesItsHolderIsReentrantAndIsRemovedOnClose() throws Exception {
        ResultStore s = store();
        List<String> notes = new ArrayList<>();
        try (OutputLock a = OutputLock.acquire(s, notes::add)) {
            JsonNode o = Json.parse(Files.readString(dir.resolve(OutputLock.FILE)), "lock");
            assertEquals(ProcessHandle.current().pid(), o.get("pid").asLong());
            assertEquals(OutputLock.hostName(), o.get("host").asText());
            assertEquals(System.getProperty("user.name"), o.get("owner").asText());
            assertFalse(o.get("started_at").asText().isEmpty());
            try (OutputLock b = OutputLock.acquire(store(), notes::add)) {
                assertSame(a, b, "the same JVM may open the folder again");
            }
            assertTrue(Files.exists(dir.resolve(OutputLock.FILE)), "held until the last close");
        }
        assertFalse(Files.exists(dir.resolve(OutputLock.FILE)));
        assertTrue(notes.isEmpty(), notes.toString());
    }

    @Test
    void aFolderTheLockCreatedIsRemovedWhenLeftEmptyAndKeptOtherwise() throws Exception {
        Path missing = dir.resolve("a/b");
        try (OutputLock l =
                OutputLock.acquire(ResultStore.open(missing.toString(), new Configuration(), "t"), n -> {})) {
            assertTrue(Files.exists(missing.resolve(OutputLock.FILE)), "the lock creates its folder");
        }
        assertFalse(Files.exists(missing), "a run that wrote nothing leaves no folder behind");
        try (OutputLock l =
                OutputLock.acquire(ResultStore.open(missing.toString(), new Configuration(), "t"), n -> {})) {
            Files.writeString(missing.resolve("result.json"), "{}");
        }
        assertTrue(Files.exists(missing.resolve("result.json")), "what a run wrote stays");
        assertFalse(Files.exists(missing.resolve(OutputLock.FILE)));
    }

    @Test
    void aSecondWriterStopsWithOneLineNamingTheFirst() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            heldBy(other.pid());
            UserInputException e = assertThrows(UserInputException.class, () -> OutputLock.acquire(store(), m -> {}));
            String msg = e.getMessage();
            assertFalse(msg.contains("\n"), msg);
            assertTrue(
                    msg.contains("alice")
                            && msg.contains("pid " + other.pid())
                            && msg.contains(OutputLock.hostName())
                            && msg.contains("2026-12-03T10:00:00Z")
                            && msg.contains(OutputLock.FILE),
                    msg);
            assertTrue(Files.readString(dir.resolve(OutputLock.FILE)).contains("\"other\""), "the lock is left alone");
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aStaleLockIsReportedAndTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        heldBy(gone.pid());
        List<String> notes = new ArrayList<>();
        try (OutputLock l = OutputLock.acquire(store(), notes::add)) {
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(
                    notes.get(0).contains("stale") && notes.get(0).contains("pid " + gone.pid() + " no longer runs"),
                    notes.get(0));
            JsonNode o = Json.parse(Files.readString(dir.resolve(OutputLock.FILE)), "lock");
            assertEquals(ProcessHandle.current().pid(), o.get("pid").asLong(), "now held by this run");
        }
    }

    @Test
    void aLockFromAnotherHostIsNeverTakenOver() throws Exception {
        Files.writeString(
                dir.resolve(OutputLock.FILE),
                "{\"lock_id\": \"x\", \"owner\": \"bob\", \"host\": \"node-17.cluster\", \"pid\": 1,"
                        + " \"started_at\": \"2026-12-01T00:00:00Z\"}");
        UserInputException e = assertThrows(UserInputException.class, () -> OutputLock.acquire(store(), m -> {}));
        assertTrue(e.getMessage().contains("node-17.cluster") && e.getMessage().contains("delete the lock file"));
    }
}
