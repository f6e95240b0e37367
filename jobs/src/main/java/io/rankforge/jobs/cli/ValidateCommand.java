package io.rankforge.jobs.cli;

import io.rankforge.jobs.validate.ValidateJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rankforge validate --conf FILE}: correlations, intervals and regrets of every metric and method. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Validate the metrics against the sweep's ground truth per iso-cost stratum, over the "
                + "random samples only: Spearman, Kendall, concordance, top-k precision, regret (bootstrap "
                + "intervals), paired comparisons; each method's pick against its stratum's samples.")
public class ValidateCommand implements Callable<Integer> {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE.conf",
            description = "Experiment configuration (HOCON).")
    Path conf;

    @Mixin
    ConfOptions options;

    @Option(names = "--json", description = "Print the validation summary as one JSON line (the last line of stdout).")
    boolean json;

    @Override
    public Integer call() {
        return JobCommands.run(
                conf,
                options.sets,
                json,
                ctx -> JobCommands.Outcome.done(ValidateJob.run(ctx).toJson()));
    }
}
