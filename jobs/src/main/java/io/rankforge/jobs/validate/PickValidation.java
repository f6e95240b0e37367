package io.rankforge.jobs.validate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A method's pick against the random samples of the stratum at its budget (the pick itself is never one of
 * them). Null where it cannot be computed (no stratum at this budget, the pick's trial failed, no sample
 * fine-tuned).
 *
 * @param method              selection method id
 * @param budget              its FLOPs budget
 * @param metric              the metric the method maximised
 * @param flopsRatio          the pick's cost over the compressible layers' MACs
 * @param accuracy            its test accuracy without fine-tuning
 * @param accuracyFinetuned   after the fixed fine-tuning
 * @param percentile          percentage of the stratum's samples less accurate than the pick (ties count half)
 * @param percentileFinetuned the same among the samples that were fine-tuned
 * @param regret              best accuracy among the samples costing at most the pick, minus the pick's
 * @param regretFinetuned     the same after fine-tuning
 * @param samples             samples of the stratum the pick is compared with
 * @param networkFlopsRatio   the pick's cost over the whole network's MACs (null when unknown)
 * @param ranks               layer → the rank the method chose
 */
public record PickValidation(
        String model,
        String modelDigest,
        String method,
        double budget,
        String metric,
        String stratum,
        Double flopsRatio,
        Double accuracy,
        Double accuracyFinetuned,
        Double percentile,
        Double percentileFinetuned,
        Double regret,
        Double regretFinetuned,
        int samples,
        String trialId,
        Double searchSeconds,
        Double networkFlopsRatio,
        Map<String, Integer> ranks) {
    public PickValidation {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(method, "method");
        ranks = Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
    }
}
