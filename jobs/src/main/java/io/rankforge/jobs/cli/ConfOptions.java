package io.rankforge.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The experiment-file options every Spark job takes: {@code --conf FILE.conf [--set key=value ...]}. */
public final class ConfOptions {
    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one configuration key (repeatable), e.g. --set sweep.samples-per-stratum=10 or "
                    + "--set spark.master=local[2].")
    public List<String> sets = new ArrayList<>();
}
