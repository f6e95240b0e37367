package io.rankforge.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The process's memory bound ({@code rankforge.memory.bytes}, which bin/rankforge sets from {@code RANKFORGE_MEMORY}).
 * The heap and JavaCPP's limits bound what Java and ND4J allocate through them, but ND4J's native library also
 * allocates outside JavaCPP's accounting; so a watcher reads the resident set every {@link #PERIOD_MS} ms and stops
 * the process with one line and {@link #EXIT_CODE} before the machine's OOM killer would.
 */
public final class MemoryBound {
    /** The exit code of a run stopped for memory (docs/reliability.md). */
    public static final int EXIT_CODE = 3;

    /** The system property holding the bound in bytes. */
    public static final String PROPERTY = "rankforge.memory.bytes";

    static final long PERIOD_MS = 200;
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;

    private MemoryBound() {}

    /** The bound in bytes, or 0 when none is set (or it is not a positive number). */
    public static long bytes() {
        try {
            long b = Long.parseLong(System.getProperty(PROPERTY, "0").strip());
            return Math.max(0, b);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Starts the watcher when a bound is set and the resident set can be read (Linux); returns whether it did. */
    public static boolean watch(PrintStream err) {
        long bound = bytes();
        if (bound <= 0 || residentBytes() < 0) {
            return false;
        }
        Thread t = new Thread(
                () -> {
                    while (true) {
                        long rss = residentBytes();
                        if (rss > bound) {
                            err.println("rankforge: error: " + exceeded(rss, bound));
                            err.flush();
                            // halt, not exit: shutdown hooks (Spark's) could allocate more or hang; results are
                            // written to temporary paths and renamed, so nothing half-written is left
                            Runtime.getRuntime().halt(EXIT_CODE);
                        }
                        try {
                            Thread.sleep(PERIOD_MS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "rankforge-memory-bound");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /** The one line printed when the bound is reached. */
    static String exceeded(long used, long bound) {
        return String.format(
                Locale.ROOT,
                "the run needs more memory than its bound: %s resident, bound %s (RANKFORGE_MEMORY); raise "
                        + "RANKFORGE_MEMORY, or give a smaller model, dataset or job (docs/reliability.md)",
                mib(used),
                mib(bound));
    }

    /** The one line printed when the JVM runs out of heap or JavaCPP refuses an allocation. */
    public static String outOfMemory(OutOfMemoryError e) {
        String why = e.getMessage() == null ? "heap" : e.getMessage().replaceAll("\\s+", " ");
        if (why.length() > 160) {
            why = why.substring(0, 157) + "...";
        }
        return "the run needs more memory than its bound allows (" + why + "); raise RANKFORGE_MEMORY, or give a "
                + "smaller model, dataset or job (docs/reliability.md)";
    }

    /** Resident bytes of this process from /proc/self/statm, or -1 where that cannot be read. */
    static long residentBytes() {
        try {
            String[] f = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(f[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }
}
