package io.rankforge.jobs.validate;

/**
 * What selecting by a metric costs: the best ground-truth accuracy among the configurations of a
 * band minus the accuracy of the configuration the metric ranks highest. Ties in the metric are
 * broken by the order given (callers pass configurations sorted by trial id, so it is deterministic).
 */
public final class Regret {
    private Regret() {}

    /** @return {best accuracy, accuracy of the metric's pick, regret}; NaNs for an empty band */
    public static double[] of(double[] metric, double[] accuracy) {
        if (metric.length != accuracy.length) {
            throw new IllegalArgumentException("metric and accuracy differ in length");
        }
        if (metric.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        int pick = 0;
        double best = accuracy[0];
        for (int i = 1; i < metric.length; i++) {
            if (metric[i] > metric[pick]) {
                pick = i;
            }
            best = Math.max(best, accuracy[i]);
        }
        return new double[] {best, accuracy[pick], best - accuracy[pick]};
    }
}
