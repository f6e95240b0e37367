package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Δρ = ρ(metricA) − ρ(metricB) on the same samples of one stratum, with its paired-bootstrap interval: an interval
 * above 0 says metric A orders the stratum's configurations better than metric B (null when undefined).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ComparisonRow(
        String stratum,
        double target,
        String groundTruth,
        String metricA,
        String metricB,
        Double deltaSpearman,
        Double low,
        Double high) {
    public ComparisonRow {
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(metricA, "metricA");
        Objects.requireNonNull(metricB, "metricB");
    }
}
