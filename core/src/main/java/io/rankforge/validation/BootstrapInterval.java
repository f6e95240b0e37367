package io.rankforge.validation;

/**
 * A percentile bootstrap interval [low, high] and the number of resamples it rests on (those on which
 * the statistic was defined). Both bounds are NaN when it is undefined.
 */
public record BootstrapInterval(double low, double high, int used) {
    /** No interval: too few configurations, or too few resamples on which the statistic is defined. */
    public static final BootstrapInterval UNDEFINED = new BootstrapInterval(Double.NaN, Double.NaN, 0);

    public boolean isDefined() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** Whether v lies in [low, high]; false for an undefined interval. */
    public boolean contains(double v) {
        return v >= low && v <= high;
    }
}
