package io.rankforge.jobs.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import java.util.List;

/**
 * Where a sweep's trial phase spent its time: the phases' sums over the trials this invocation ran, the task time,
 * and what is left of the slots' time (Spark scheduling and serialisation, journal commits, slots idle at the end
 * of a batch) per trial.
 *
 * @param wallSeconds     wall time from the first batch's submission to the last batch's commit
 * @param slots           tasks that could run at once (cores / spark.task.cpus)
 * @param trials          trials run
 * @param taskSeconds     sum of the tasks' wall times
 * @param decompose       sum of the decompose phases
 * @param recalibrate     sum of batch-norm re-estimation
 * @param evaluate        sum of the evaluations before fine-tuning
 * @param fineTune        sum of the fine-tunings
 * @param evaluateTuned   sum of the evaluations after fine-tuning
 */
public record SweepCost(
        double wallSeconds,
        int slots,
        long trials,
        double taskSeconds,
        double decompose,
        double recalibrate,
        double evaluate,
        double fineTune,
        double evaluateTuned) {

    /** The cost of {@code results}, run in {@code wallSeconds} on {@code slots} slots. */
    public static SweepCost of(List<TrialResult> results, double wallSeconds, int slots) {
        double task = 0, d = 0, r = 0, e = 0, f = 0, t = 0;
        for (TrialResult x : results) {
            task += x.seconds();
            d += zeroIfNaN(x.cost().decompose());
            r += zeroIfNaN(x.cost().recalibrate());
            e += zeroIfNaN(x.cost().evaluate());
            f += zeroIfNaN(x.cost().fineTune());
            t += zeroIfNaN(x.cost().evaluateTuned());
        }
        return new SweepCost(wallSeconds, slots, results.size(), task, d, r, e, f, t);
    }

    /** Slot time not spent inside a task, per trial (NaN without trials). */
    public double overheadPerTrial() {
        return trials == 0 ? Double.NaN : Math.max(0, wallSeconds * slots - taskSeconds) / trials;
    }

    /** Trials per hour at this run's pace (NaN without trials). */
    public double trialsPerHour() {
        return trials == 0 || wallSeconds <= 0 ? Double.NaN : trials * 3600.0 / wallSeconds;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("trials", trials);
        o.put("wall_s", wallSeconds);
        o.put("slots", slots);
        o.put("task_s", taskSeconds);
        o.put("decompose_s", decompose);
        o.put("recalibrate_s", recalibrate);
        o.put("evaluate_s", evaluate);
        o.put("fine_tune_s", fineTune);
        o.put("evaluate_finetuned_s", evaluateTuned);
        putFinite(o, "overhead_s_per_trial", overheadPerTrial());
        putFinite(o, "trials_per_hour", trialsPerHour());
        return o;
    }

    private static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static double zeroIfNaN(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
