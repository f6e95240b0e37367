package io.rankforge.jobs.validate;

import io.rankforge.validation.MetricComparison;
import java.util.Objects;

/**
 * A paired comparison of two metrics on the same samples of one stratum: Δρ = ρ(metric_a) − ρ(metric_b) with its
 * paired-bootstrap interval, so that "a orders configurations better than b" carries its uncertainty.
 */
public record ComparisonValidation(
        String model, String modelDigest, String stratum, double target, String groundTruth, MetricComparison delta) {
    public ComparisonValidation {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(delta, "delta");
    }
}
