package io.rankforge.search.optimal;

import java.util.Objects;

/**
 * One group of the multiple-choice knapsack: a layer whose rank r ranges over
 * {@code minRank .. minRank + score.length - 1}, costs {@code costPerRank · r} MACs and
 * {@code paramsPerRank · r} parameters, and contributes {@code score[r - minRank]} to the objective.
 *
 * <p>The score is the logarithm of the layer's metric term (so that a product of per-layer metrics
 * becomes a sum); {@code -Infinity} stands for a metric of 0 and is handled exactly by the solver.
 */
public record KnapsackLayer(int minRank, double[] score, double costPerRank, double paramsPerRank) {

    public KnapsackLayer {
        Objects.requireNonNull(score, "score");
        if (minRank < 1) {
            throw new IllegalArgumentException("minRank must be >= 1, got " + minRank);
        }
        if (score.length == 0) {
            throw new IllegalArgumentException("score must offer at least one rank");
        }
        if (!(costPerRank > 0) || Double.isInfinite(costPerRank)) {
            throw new IllegalArgumentException("costPerRank must be finite and > 0, got " + costPerRank);
        }
        if (!(paramsPerRank >= 0) || Double.isInfinite(paramsPerRank)) {
            throw new IllegalArgumentException("paramsPerRank must be finite and >= 0, got " + paramsPerRank);
        }
        score = score.clone();
        for (int i = 0; i < score.length; i++) {
            if (Double.isNaN(score[i]) || score[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "score at rank " + (minRank + i) + " must be finite or -Infinity, got " + score[i]);
            }
        }
    }

    /** A layer scored by log(metric): metric values ≤ 0 become -Infinity. */
    public static KnapsackLayer ofMetric(int minRank, double[] metric, double costPerRank, double paramsPerRank) {
        double[] s = new double[metric.length];
        for (int i = 0; i < metric.length; i++) {
            if (Double.isNaN(metric[i])) {
                throw new IllegalArgumentException("metric at rank " + (minRank + i) + " is NaN");
            }
            s[i] = metric[i] > 0 ? Math.log(metric[i]) : Double.NEGATIVE_INFINITY;
        }
        return new KnapsackLayer(minRank, s, costPerRank, paramsPerRank);
    }

    public int maxRank() {
        return minRank + score.length - 1;
    }

    public int choices() {
        return score.length;
    }

    /** Score of rank r (no copy). */
    public double scoreAt(int rank) {
        return score[rank - minRank];
    }

    @Override
    public double[] score() {
        return score.clone();
    }

    double scoreAtIndex(int i) {
        return score[i];
    }
}
