package io.rankforge.jobs.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One evaluated configuration of the sweep, as the report plots it.
 *
 * @param band                   band label the configuration was sampled for
 * @param source                 "random" for a sampled configuration, else the method whose pick it is
 * @param flopsRatioCompressible MACs of the compressible layers / their original MACs
 * @param flopsRatioNetwork      MACs of the whole network / its original MACs (null when unknown)
 * @param accuracy               test accuracy without fine-tuning
 * @param accuracyFineTuned      test accuracy after fine-tuning (null when not fine-tuned)
 * @param metrics                metric id → value for this configuration
 */
public record TrialPoint(
        String band,
        String source,
        double flopsRatioCompressible,
        Double flopsRatioNetwork,
        double accuracy,
        Double accuracyFineTuned,
        Map<String, Double> metrics) {
    public TrialPoint {
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(source, "source");
        metrics =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metrics, "metrics")));
    }

    public boolean isSampled() {
        return "random".equals(source);
    }
}
