package io.rankforge.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree of bin/rankforge. Each subcommand lives in its own class in this package. */
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
            SensitivityCommand.class,
            SweepCommand.class,
            ValidateCommand.class,
        })
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        return new CommandLine(new Cli());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
