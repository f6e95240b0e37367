package io.rankforge.jobs.cli;

import io.rankforge.jobs.sensitivity.SensitivityJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rankforge sensitivity --conf FILE}: measured y_m samples of every model, one Spark task per (model, layer,
 * rank).
 */
@Command(
        name = "sensitivity",
        mixinStandardHelpOptions = true,
        description = "Measure each layer's held-out accuracy at sample ranks (y_m) for every model of an "
                + "experiment, on Spark.")
public class SensitivityCommand implements Callable<Integer> {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE.conf",
            description = "Experiment configuration (HOCON).")
    Path conf;

    @Mixin
    ConfOptions options;

    @Option(names = "--json", description = "Print the summary as one JSON line (the last line of stdout).")
    boolean json;

    @Override
    public Integer call() {
        return JobCommands.run(
                conf,
                options.sets,
                json,
                ctx -> JobCommands.Outcome.done(SensitivityJob.run(ctx).toJson()));
    }
}
