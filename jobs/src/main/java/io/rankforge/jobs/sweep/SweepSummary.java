package io.rankforge.jobs.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.run.JobResult;
import java.util.Optional;

/**
 * What one run of the sweep did.
 *
 * @param trialsTotal   trials of the sweep (planned; each in the final table once)
 * @param trialsRun     run by this invocation
 * @param trialsSkipped found stored by an earlier run and not rerun
 * @param trialsFailed  failed in this invocation
 * @param stoppedEarly  the failure cap stopped the sweep before every trial ran
 * @param seconds       wall time
 * @param output        the trials table
 * @param cost          where the trial phase's time went
 */
public record SweepSummary(
        long trialsTotal,
        long trialsRun,
        long trialsSkipped,
        long trialsFailed,
        boolean stoppedEarly,
        double seconds,
        String output,
        SweepCost cost)
        implements JobResult {
    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("job", "sweep");
        o.put("trials_total", trialsTotal);
        o.put("trials_run", trialsRun);
        o.put("trials_skipped", trialsSkipped);
        o.put("trials_failed", trialsFailed);
        o.put("stopped_early", stoppedEarly);
        o.put("seconds", seconds);
        o.put("output", output);
        o.set("cost", cost.toJson());
        return o;
    }

    /** The failure cap's stop, naming the table whose error column says why. */
    @Override
    public Optional<String> shortfall() {
        return stoppedEarly
                ? Optional.of("sweep: stopped by the failure cap after " + trialsFailed
                        + " failed trials; see the error column of " + output)
                : Optional.empty();
    }
}
