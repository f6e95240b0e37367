package io.rankforge.jobs.cli;

import io.rankforge.jobs.run.Job;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The one command every Spark job gets: {@code rankforge NAME --conf FILE.conf [--set KEY=VALUE ...] [--json]}.
 * {@link #of} makes the command of a {@link Job}, named and described by the job; the options are the same for all.
 */
@Command(mixinStandardHelpOptions = true)
public final class JobCommand implements Callable<Integer> {
    private final Job<?> job;

    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE.conf",
            description = "Experiment configuration (HOCON).")
    Path conf;

    @Mixin
    ConfOptions options;

    @Option(names = "--json", description = "Print the job's summary as one JSON line (the last line of stdout).")
    boolean json;

    private JobCommand(Job<?> job) {
        this.job = Objects.requireNonNull(job, "job");
    }

    /** The command line of {@code job}'s command, to add to the command tree under the job's name. */
    public static CommandLine of(Job<?> job) {
        CommandLine cl = new CommandLine(new JobCommand(job));
        cl.getCommandSpec().name(job.name());
        cl.getCommandSpec().usageMessage().description(job.description());
        return cl;
    }

    @Override
    public Integer call() {
        return JobCommands.run(conf, options.sets, json, job);
    }
}
