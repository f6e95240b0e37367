package io.rankforge.jobs.cli;

import io.rankforge.io.OutputPaths;
import io.rankforge.jobs.quickstart.Quickstart;
import io.rankforge.jobs.quickstart.QuickstartSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rankforge quickstart}: the whole study on one machine, ending with a report. */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole RankForge study on the embedded Spark: fetches Fashion-MNIST, trains vgg-mini "
                    + "(or reuses the model a previous run trained), profiles it, measures its sensitivity, "
                    + "runs every selection "
                    + "method at 25/50/75%% FLOPs, sweeps sampled configurations, validates the metrics and writes "
                    + "DIR/report/index.html and DIR/summary.json."
        })
public final class QuickstartCommand implements Callable<Integer> {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "output folder (default: rankforge.experiment.output of the configuration, runs/quickstart)")
    Path out;

    @Option(
            names = "--conf",
            paramLabel = "FILE",
            description = "configuration (default: conf/quickstart.conf of the RankForge installation)")
    Path conf;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "override a configuration key (repeatable), e.g. --set sweep.samples-per-stratum=30")
    List<String> sets = new ArrayList<>();

    @Option(names = "--verbose", description = "show Spark's, DL4J's and Hadoop's log lines")
    boolean verbose;

    @Option(names = "--json", description = "print the summary (DIR/summary.json) as one JSON line, last on stdout")
    boolean json;

    @Override
    public Integer call() {
        QuickstartSettings settings =
                QuickstartSettings.load(conf == null ? QuickstartSettings.defaultConfFile() : conf, sets, out);
        OutputPaths.requireWritableFolder(settings.out(), "outputFile " + settings.out()); // before any phase
        return ProgramCommands.run(
                verbose,
                json,
                "report",
                settings.out().resolve("summary.json").toAbsolutePath().toString(),
                progress -> Quickstart.run(settings, progress));
    }
}
