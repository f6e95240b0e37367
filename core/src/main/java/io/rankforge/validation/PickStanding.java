package io.rankforge.validation;

/**
 * Where a method's pick stands among the random samples of its stratum. The pick is never one of the samples:
 * pooling picks with samples would let the metrics under test choose part of the data that judges them.
 */
public final class PickStanding {
    private PickStanding() {}

    /**
     * Percentage of the samples whose accuracy is below {@code accuracy}, ties counting half (0 = worse than every
     * sample, 100 = better than every sample); NaN without samples.
     */
    public static double percentile(double accuracy, double[] sampleAccuracies) {
        if (sampleAccuracies.length == 0 || !Double.isFinite(accuracy)) {
            return Double.NaN;
        }
        double below = 0;
        for (double a : sampleAccuracies) {
            if (a < accuracy) {
                below += 1;
            } else if (a == accuracy) {
                below += 0.5;
            }
        }
        return 100 * below / sampleAccuracies.length;
    }

    /**
     * The best accuracy among the samples that cost at most {@code cost}, minus the pick's accuracy (negative when
     * the pick beats them all); NaN when no sample is that cheap. A pick is never judged against configurations
     * that spend more than it does.
     */
    public static double regretAtOrBelow(
            double cost, double accuracy, double[] sampleCosts, double[] sampleAccuracies) {
        if (sampleCosts.length != sampleAccuracies.length) {
            throw new IllegalArgumentException("sampleCosts and sampleAccuracies differ in length: "
                    + sampleCosts.length + " vs " + sampleAccuracies.length);
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sampleCosts.length; i++) {
            if (sampleCosts[i] <= cost * (1 + 1e-12)) {
                best = Math.max(best, sampleAccuracies[i]);
            }
        }
        return best == Double.NEGATIVE_INFINITY || !Double.isFinite(accuracy) ? Double.NaN : best - accuracy;
    }
}
