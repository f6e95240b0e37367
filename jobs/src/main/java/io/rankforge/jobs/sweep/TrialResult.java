package io.rankforge.jobs.sweep;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a trial's task returns: its spec and either its accuracies or its error.
 *
 * @param spec              the trial
 * @param ok                false when the task threw (NaN loss, out of memory, a bad layer, ...)
 * @param error             the error (class and message), or null
 * @param accuracy          test accuracy without fine-tuning (NaN when failed)
 * @param accuracyFineTuned test accuracy after the fine-tuning (NaN when not fine-tuned or failed)
 * @param finalLoss         training loss at the end of the fine-tuning (NaN without)
 * @param seconds           wall time of the task
 * @param host              the executor's host
 * @param finishedAt        epoch milliseconds
 * @param cost              where the task's time went (phases measured on the executor)
 */
public record TrialResult(
        TrialSpec spec,
        boolean ok,
        String error,
        double accuracy,
        double accuracyFineTuned,
        double finalLoss,
        double seconds,
        String host,
        long finishedAt,
        TrialCost cost)
        implements Serializable {
    public TrialResult {
        Objects.requireNonNull(spec, "spec");
        if (!ok && error == null) {
            throw new IllegalArgumentException("a failed trial needs its error");
        }
        Objects.requireNonNull(cost, "cost");
    }

    public static TrialResult failed(TrialSpec spec, Throwable t, double seconds, String host, TrialCost cost) {
        String msg = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (msg.length() > 2000) {
            msg = msg.substring(0, 2000) + "...";
        }
        return new TrialResult(
                spec, false, msg, Double.NaN, Double.NaN, Double.NaN, seconds, host, System.currentTimeMillis(), cost);
    }
}
