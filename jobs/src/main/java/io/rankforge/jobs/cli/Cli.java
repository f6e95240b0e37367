package io.rankforge.jobs.cli;

import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.sensitivity.SensitivityJob;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.validate.ValidateJob;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command tree of bin/rankforge. Each hand-written subcommand lives in its own class in this package; the Spark
 * jobs that only take an experiment file ({@link #CONF_JOBS}) share one generic {@link JobCommand}. {@code profile}
 * and {@code select} also work on one file without Spark, so they are hand-written and run their {@code --conf} mode
 * through the same {@link JobCommands#run}.
 */
@Command(
        name = "rankforge",
        mixinStandardHelpOptions = true,
        version = "rankforge 0.1.0",
        description = "Accuracy-aware low-rank compression of neural networks (ENC) on Apache Spark.",
        subcommands = {
            CommandLine.HelpCommand.class,
            io.rankforge.jobs.cli.QuickstartCommand.class,
            ProfileCommand.class,
            SelectCommand.class,
            DataCommand.class,
            ZooCommand.class,
            EvaluateCommand.class,
            CompressCommand.class,
            BenchmarkCommand.class,
            ExportCommand.class,
        })
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The jobs whose only mode is {@code --conf}, in pipeline order (after profile and select in the help). */
    static final List<Job<?>> CONF_JOBS = List.of(SensitivityJob.JOB, SweepJob.JOB, ValidateJob.JOB);

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli());
        for (Job<?> job : CONF_JOBS) {
            cl.addSubcommand(job.name(), JobCommand.of(job));
        }
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
