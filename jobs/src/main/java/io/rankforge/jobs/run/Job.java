package io.rankforge.jobs.run;

import java.util.Objects;
import java.util.function.Function;

/**
 * One Spark job of an experiment, as a value: its name (the CLI command), one line saying what it does (the
 * command's help), and its body, a library call on a {@link JobContext}. The CLI runs every job the same way
 * ({@code jobs.cli.JobCommands}); a program that runs several jobs on one context (the quickstart, the benchmark)
 * calls the jobs' static {@code run} methods for their typed results.
 *
 * @param name the command name, e.g. {@code sweep}
 * @param description what the job does, shown by {@code rankforge NAME --help}
 * @param body the job itself
 */
public record Job<R extends JobResult>(String name, String description, Function<JobContext, R> body) {
    public Job {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(body, "body");
        if (!name.matches("[a-z][a-z-]*")) {
            throw new IllegalArgumentException("name must be a lower-case command name, got '" + name + "'");
        }
    }

    public static <R extends JobResult> Job<R> of(String name, String description, Function<JobContext, R> body) {
        return new Job<>(name, description, body);
    }

    /** Runs the job on {@code ctx}. */
    public R run(JobContext ctx) {
        return body.apply(ctx);
    }
}
