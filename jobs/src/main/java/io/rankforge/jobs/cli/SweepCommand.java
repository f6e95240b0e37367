package io.rankforge.jobs.cli;

import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rankforge sweep --conf FILE}: ground-truth accuracy of sampled configurations and the methods'
 * picks, one Spark task per trial; resumable (a rerun skips stored trials). Exit code 1 when the
 * failure cap stopped it.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Evaluate configurations sampled in iso-cost strata and every method's pick (test accuracy, "
                + "optionally after fine-tuning), on Spark; reruns skip stored trials.")
public class SweepCommand implements Callable<Integer> {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE.conf",
            description = "Experiment configuration (HOCON).")
    Path conf;

    @Mixin
    ConfOptions options;

    @Option(
            names = "--json",
            description = "Print the summary (trials_total, trials_run, trials_skipped, trials_failed, seconds) "
                    + "as one JSON line.")
    boolean json;

    @Override
    public Integer call() {
        return JobCommands.run(conf, options.sets, json, ctx -> {
            SweepSummary s = SweepJob.run(ctx);
            if (s.stoppedEarly()) {
                System.err.println("sweep: stopped by the failure cap after " + s.trialsFailed()
                        + " failed trials; see the error column of " + s.output());
            }
            return new JobCommands.Outcome(s.toJson(), !s.stoppedEarly());
        });
    }
}
