package io.rankforge.jobs;

import io.rankforge.UserInputException;
import io.rankforge.jobs.cli.Cli;
import io.rankforge.jobs.cli.CliVocabulary;
import io.rankforge.runtime.NativeBackend;
import picocli.CommandLine;

/**
 * Entry point of bin/rankforge and of spark-submit ({@code --class io.rankforge.jobs.Main}).
 * Exit codes: 0 success, 2 bad input (one-line message on stderr), 1 anything else.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        headless();
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
            System.err.println("rankforge: error: " + e.getMessage());
            return 2;
        }
        CommandLine cl = Cli.commandLine();
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            // picocli wraps nothing, but our code may wrap a user error in an unchecked exception
            while (!(root instanceof UserInputException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof UserInputException || ex instanceof IllegalArgumentException) {
                // core names its fields (targetFlops, dataDir, ...); the user of this command sees its flags
                String msg = CliVocabulary.forUser(
                        root instanceof UserInputException ? root.getMessage() : ex.getMessage(), cmd, parsed);
                cmd.getErr().println(name(cmd) + ": error: " + msg);
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
            cmd.getErr().println(name(cmd) + ": error: " + ex.getMessage() + " (see: " + name(cmd) + " --help)");
            cmd.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }
}
