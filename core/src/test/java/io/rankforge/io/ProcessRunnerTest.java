package io.rankforge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real processes: one that hangs with its output open, one that floods its output, one that fails. */
class ProcessRunnerTest {

    @Test
    void timeoutFiresForAProcessThatHangsWithItsOutputOpen() {
        long start = System.nanoTime();
        // the shell writes a line and then waits on sleep, which inherits the open output pipe
        ProcessRunner.TimedOut e = assertThrows(
                ProcessRunner.TimedOut.class,
                () -> ProcessRunner.run(null, Duration.ofSeconds(1), List.of("sh", "-c", "echo started; sleep 120")));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 30, "the 1 s limit took " + seconds + " s to fire");
        assertEquals(Duration.ofSeconds(1), e.limit());
        assertTrue(e.getMessage().contains("sh did not finish within 1 s"), e.getMessage());
    }

    @Test
    void timeoutFiresForASilentHang() {
        assertThrows(
                ProcessRunner.TimedOut.class,
                () -> ProcessRunner.run(null, Duration.ofMillis(500), List.of("sleep", "120")));
    }

    @Test
    void outputLargerThanAPipeBufferDoesNotBlockTheProcess() throws Exception {
        // 4 MiB: far more than a pipe holds, so a runner that read only after waitFor would hang here
        ProcessRunner.Result r = ProcessRunner.run(
                null,
                Duration.ofSeconds(60),
                List.of("sh", "-c", "head -c 4194304 /dev/zero | tr '\\0' 'x'; echo; echo done"));
        assertEquals(0, r.exitCode());
        assertEquals(ProcessRunner.MAX_KEPT_BYTES, r.output().length(), "output is kept up to the cap");
    }

    @Test
    void exitCodeAndLastLineOfAFailure() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(
                null, Duration.ofSeconds(30), List.of("sh", "-c", "echo first; echo 'no such package' >&2; exit 3"));
        assertEquals(3, r.exitCode());
        assertEquals("no such package", r.lastLine());
        assertTrue(r.output().contains("first"), r.output());
    }

    @Test
    void aMissingCommandIsAnIOException() {
        assertThrows(
                java.io.IOException.class,
                () -> ProcessRunner.run(null, Duration.ofSeconds(5), List.of("rankforge-no-such-command-xyz")));
    }

    @Test
    void quickProcessReturnsItsOutput() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(null, Duration.ofSeconds(30), List.of("echo", "hello"));
        assertEquals(0, r.exitCode());
        assertEquals("hello", r.output().strip());
        assertFalse(r.output().isEmpty());
    }
}
