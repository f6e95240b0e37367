package io.rankforge.jobs.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One evaluated configuration of the sweep, as the report plots it.
 *
 * @param stratum                label of the stratum the configuration was sampled for (a pick: the stratum at its
 *                               budget)
 * @param source                 "random" for a sampled configuration, else the method whose pick it is
 * @param flopsRatioCompressible MACs of the compressible layers / their original MACs
 * @param flopsRatioNetwork      MACs of the whole network / its original MACs (null when unknown)
 * @param accuracy               test accuracy without fine-tuning
 * @param accuracyFineTuned      test accuracy after fine-tuning (null when not fine-tuned)
 * @param metrics                metric id → value for this configuration
 * @param ranks                  layer → rank
 */
public record TrialPoint(
        String stratum,
        String source,
        double flopsRatioCompressible,
        Double flopsRatioNetwork,
        double accuracy,
        Double accuracyFineTuned,
        Map<String, Double> metrics,
        Map<String, Integer> ranks) {
    public TrialPoint {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(source, "source");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metrics, "metrics")));
        ranks = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ranks, "ranks")));
    }

    public boolean isSampled() {
        return "random".equals(source);
    }
}
