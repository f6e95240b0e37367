package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.jobs.quickstart.LogLevels;
import io.rankforge.jobs.run.ConsoleProgress;
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
     * @param summary where the program writes {@code summary.json}
     */
    static int run(
            boolean verbose,
            boolean json,
            String reportLabel,
            String summary,
            Function<ConsoleProgress, ObjectNode> program) {
        if (verbose) {
            LogLevels.verbose();
        } else {
            LogLevels.quiet();
        }
        ObjectNode result;
        try (ConsoleProgress progress = ConsoleProgress.onStderr()) {
            result = program.apply(progress);
        }
        if (result.has("report")) {
            System.err.println(
                    "rankforge: " + reportLabel + ": " + result.path("report").asText());
        }
        System.err.println("rankforge: summary: " + summary);
        if (json) {
            JsonOut.print(result);
        }
        return 0;
    }
}
