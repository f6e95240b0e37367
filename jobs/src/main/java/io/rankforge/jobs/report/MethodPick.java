package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one selection method chose at one budget, and what that choice turned out to be worth.
 *
 * @param method                  method id (e.g. enc-map, enc-model, enc-inf, optimal-am, uniform-rank)
 * @param budget                  the FLOPs target as a fraction of the compressible layers' original MACs
 * @param flopsRatioCompressible  achieved MACs of the compressible layers / their original MACs (null when the search
 * failed)
 * @param flopsRatioNetwork       achieved MACs of the whole network / its original MACs (null when unknown)
 * @param accuracy                test accuracy of the pick without fine-tuning (null when not measured)
 * @param accuracyFineTuned       test accuracy after the fixed brief fine-tuning (null when not run)
 * @param searchSeconds           wall time of the search itself
 * @param stratum                 the stratum at the pick's budget, whose samples it is compared with (null when none)
 * @param percentile              percentage of that stratum's samples less accurate than the pick, no fine-tuning
 * @param percentileFineTuned     the same among the stratum's fine-tuned samples (null when none were fine-tuned)
 * @param regret                  best accuracy among the stratum's samples that cost at most the pick, minus the
 *                                pick's (no fine-tuning; null without such samples)
 * @param ranks                   the chosen rank of every compressible layer, in network order (empty when the search
 * failed)
 * @param error                   why the method found nothing at this budget, or null when it did
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MethodPick(
        String method,
        double budget,
        Double flopsRatioCompressible,
        Double flopsRatioNetwork,
        Double accuracy,
        Double accuracyFineTuned,
        double searchSeconds,
        String stratum,
        Double percentile,
        Double percentileFineTuned,
        Double regret,
        Map<String, Integer> ranks,
        String error) {
    public MethodPick {
        Objects.requireNonNull(method, "method");
        if (!(budget > 0 && budget <= 1)) {
            throw new IllegalArgumentException("budget of " + method + " must be in (0, 1], got " + budget);
        }
        ranks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ranks, "ranks")));
    }
}
