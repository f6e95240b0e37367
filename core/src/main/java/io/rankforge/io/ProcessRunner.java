package io.rankforge.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a time limit. Its output (stdout and stderr merged) is drained on a separate
 * thread while the caller waits, so the limit holds even for a process that hangs with its output open: on
 * expiry the process and its descendants are killed and {@link TimedOut} is thrown.
 */
public final class ProcessRunner {
    /** Output kept per run; the rest is read and dropped so the process never blocks on a full pipe. */
    static final int MAX_KEPT_BYTES = 1 << 20;

    private ProcessRunner() {}

    /** What a finished process left: its exit code and its (merged, possibly truncated) output. */
    public record Result(int exitCode, String output) {
        /** The last non-blank line of the output, or "" when there is none. */
        public String lastLine() {
            return output.strip().lines().reduce((a, b) -> b).orElse("").strip();
        }
    }

    /** The process did not finish within its time limit and was killed. */
    public static final class TimedOut extends Exception {
        private final Duration limit;

        TimedOut(String command, Duration limit) {
            super(command + " did not finish within " + limit.toSeconds() + " s");
            this.limit = limit;
        }

        public Duration limit() {
            return limit;
        }
    }

    /**
     * Runs {@code command} in {@code dir} (null: the current directory) with stdin closed.
     *
     * @throws IOException when the command cannot be started
     * @throws TimedOut when it runs longer than {@code timeout} (it is killed first)
     * @throws InterruptedException when the calling thread is interrupted (the process is killed first)
     */
    public static Result run(Path dir, Duration timeout, List<String> command)
            throws IOException, TimedOut, InterruptedException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        Drain drain = new Drain(p.getInputStream());
        Thread reader = new Thread(drain, "process-output-" + command.get(0));
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                throw new TimedOut(command.get(0), timeout);
            }
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        // the process has exited; a descendant may still hold the pipe open, so wait for the reader only briefly
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return new Result(p.exitValue(), drain.text());
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.getInputStream().close();
        } catch (IOException ignored) {
            // closing our end only unblocks the reader thread
        }
    }

    /** Reads a stream to its end, keeping the first {@link #MAX_KEPT_BYTES} bytes. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (kept) {
                        int room = MAX_KEPT_BYTES - kept.size();
                        if (room > 0) {
                            kept.write(buf, 0, Math.min(n, room));
                        }
                    }
                }
            } catch (IOException e) {
                // stream closed because the process was killed: keep what was read
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
