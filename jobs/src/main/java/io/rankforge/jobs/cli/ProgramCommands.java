package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.jobs.quickstart.LogLevels;
import io.rankforge.jobs.run.ConsoleProgress;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Runs a program of several jobs from the command line (the quickstart, the benchmark): library logs quiet unless
 * {@code --verbose}, progress on stderr, then where its report and summary are, and with {@code --json} the
 * summary as the last line of stdout.
 */
final class ProgramCommands {
    private ProgramCommands() {}

    /**
     * @param reportLabel what the summary's {@code report} field is called on the console ("report", "leaderboard")
     * @param out the program's output folder, which holds {@code summary.json}
     */
    static int run(
            boolean verbose,
            boolean json,
            String reportLabel,
            Path out,
            Function<ConsoleProgress, ObjectNode> program) {
        if (verbose) {
            LogLevels.verbose();
        } else {
            LogLevels.quiet();
        }
        ObjectNode summary;
        try (ConsoleProgress progress = ConsoleProgress.onStderr()) {
            summary = program.apply(progress);
        }
        if (summary.has("report")) {
            System.err.println(
                    "rankforge: " + reportLabel + ": " + summary.path("report").asText());
        }
        System.err.println("rankforge: summary: " + out.resolve("summary.json").toAbsolutePath());
        if (json) {
            JsonOut.print(summary);
        }
        return 0;
    }
}
