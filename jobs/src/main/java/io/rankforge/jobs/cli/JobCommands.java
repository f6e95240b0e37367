package io.rankforge.jobs.cli;

import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.run.ConsoleProgress;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.JobResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one Spark job from the command line: the configuration is loaded and checked first (a bad key
 * or value exits 2 before Spark starts), then a session and the output folder are opened (an
 * unreachable output or a file that is not a model exits 2 before any task), the job runs with its
 * progress on stderr, and its summary is printed: pretty on stdout, or one --json line. A job that did less than
 * asked ({@link JobResult#shortfall()}) says why on stderr and exits 1.
 */
public final class JobCommands {
    private JobCommands() {}

    public static int run(Path conf, List<String> sets, boolean json, Job<?> job) {
        JobConfig config = JobConfig.load(conf, sets);
        JobResult result;
        try (ConsoleProgress progress = ConsoleProgress.onStderr();
                JobContext ctx = JobContext.open(config, progress)) {
            result = job.run(ctx);
        }
        result.shortfall().ifPresent(System.err::println);
        if (json) {
            JsonOut.print(result.toJson());
        } else {
            System.out.println(Json.pretty(result.toJson()));
            System.out.flush();
        }
        return result.shortfall().isPresent() ? 1 : 0;
    }
}
