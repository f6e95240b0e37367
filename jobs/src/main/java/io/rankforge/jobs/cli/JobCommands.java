package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.run.ConsoleProgress;
import io.rankforge.jobs.run.JobContext;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one Spark job from the command line: the configuration is loaded and checked first (a bad key
 * or value exits 2 before Spark starts), then a session and the output folder are opened (an
 * unreachable output or a file that is not a model exits 2 before any task), the job runs with its
 * progress on stderr, and its summary is printed: pretty on stdout, or one --json line.
 */
public final class JobCommands {
    private JobCommands() {}

    /** @param job returns its summary and whether it completed (false: exit code 1) */
    public static int run(Path conf, List<String> sets, boolean json, Function<JobContext, Outcome> job) {
        JobConfig config = JobConfig.load(conf, sets);
        Outcome outcome;
        try (ConsoleProgress progress = ConsoleProgress.onStderr();
                JobContext ctx = JobContext.open(config, progress)) {
            outcome = job.apply(ctx);
        }
        if (json) {
            JsonOut.print(outcome.summary());
        } else {
            System.out.println(Json.pretty(outcome.summary()));
            System.out.flush();
        }
        return outcome.complete() ? 0 : 1;
    }

    /** A job's summary and whether it did everything it was asked to. */
    public record Outcome(ObjectNode summary, boolean complete) {
        public static Outcome done(ObjectNode summary) {
            return new Outcome(summary, true);
        }
    }
}
