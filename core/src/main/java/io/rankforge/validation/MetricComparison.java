package io.rankforge.validation;

/**
 * Paired comparison of two metrics on the same configurations: Δρ = ρ(A, y) − ρ(B, y), Spearman's ρ
 * against the ground truth y, with a bootstrap interval [low, high] in which both ρ are computed on
 * the same resampled configurations. low &gt; 0 says A orders the stratum better than B. NaN when the
 * stratum has too few samples or the interval is undefined.
 */
public record MetricComparison(String metricA, String metricB, double deltaSpearman, double low, double high) {}
