package io.rankforge.jobs;

import io.rankforge.UserInputException;
import io.rankforge.jobs.cli.Cli;
import io.rankforge.jobs.cli.CliVocabulary;
import io.rankforge.jobs.cli.MemoryBound;
import io.rankforge.runtime.NativeBackend;
import picocli.CommandLine;

/**
 * Entry point of bin/rankforge and of spark-submit ({@code --class io.rankforge.jobs.Main}).
 * Exit codes: 0 success, 2 bad input (one-line message on stderr), 3 the memory bound reached (one line on stderr;
 * docs/reliability.md), 1 anything else.
 */
public final class Main {
    /** The longest error line the CLI prints. */
    public static final int MAX_MESSAGE_CHARS = 2000;

    private Main() {}

    public static void main(String[] args) {
        headless();
        // the process's memory bound (bin/rankforge sets it): watched here, where the process starts, never in
        // run(), which tests call in their own JVM
        MemoryBound.watch(System.err);
        System.exit(run(args));
    }

    /**
     * The process draws the report's figures without a display: {@code java.awt.headless=true}, set here where
     * the process starts (before any AWT class loads) unless the JVM was given a value.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Runs one command and returns its exit code (used by tests, which must not call System.exit). */
    public static int run(String... args) {
        try {
            // before anything loads ND4J: JavaCPP reads the chosen build's name when ND4J initialises
            NativeBackend.select();
        } catch (UserInputException e) {
            System.err.println("rankforge: error: " + oneLine(e.getMessage()));
            return 2;
        }
        CommandLine cl = Cli.commandLine();
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof OutOfMemoryError oom) {
                    // wrapped by DL4J or Spark: still the memory bound, not a defect
                    cmd.getErr().println(name(cmd) + ": error: " + MemoryBound.outOfMemory(oom));
                    cmd.getErr().flush();
                    return MemoryBound.EXIT_CODE;
                }
            }
            Throwable root = ex;
            // picocli wraps nothing, but our code may wrap a user error in an unchecked exception
            while (!(root instanceof UserInputException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof UserInputException || ex instanceof IllegalArgumentException) {
                // core names its fields (targetFlops, dataDir, ...); the user of this command sees its flags
                String msg = CliVocabulary.forUser(
                        root instanceof UserInputException ? root.getMessage() : ex.getMessage(), cmd, parsed);
                cmd.getErr().println(name(cmd) + ": error: " + oneLine(msg));
                cmd.getErr().flush();
                return 2;
            }
            cmd.getErr().println(name(cmd) + ": failed: " + ex);
            ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr()
                    .println(name(cmd) + ": error: " + oneLine(ex.getMessage()) + " (see: " + name(cmd) + " --help)");
            cmd.getErr().flush();
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands Errors through: the heap or JavaCPP's maxbytes/maxphysicalbytes ran out
            System.err.println("rankforge: error: " + MemoryBound.outOfMemory(e));
            System.err.flush();
            return MemoryBound.EXIT_CODE;
        }
    }

    /**
     * A user error is one line of bounded length whatever its source put in it (a parser's multi-line message, a
     * value quoted from a hostile file).
     */
    static String oneLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String s = message.replaceAll("\\s*\\R\\s*", " ");
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
    }

    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }
}
