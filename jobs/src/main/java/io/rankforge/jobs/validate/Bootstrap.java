package io.rankforge.jobs.validate;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;

/**
 * Percentile bootstrap interval of a paired statistic: resample the (x, y) pairs with replacement,
 * seeded, so the same data and seed give the same interval. Resamples on which the statistic is
 * undefined (NaN, e.g. every resampled x equal) are skipped; the interval is NaN when fewer than
 * half of them are usable.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** An interval [low, high] at the given level. */
    public record Interval(double low, double high, int usedResamples) {
        public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN, 0);
    }

    public static Interval interval(
            double[] x,
            double[] y,
            ToDoubleBiFunction<double[], double[]> statistic,
            int resamples,
            double confidence,
            long seed) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1)");
        }
        int n = x.length;
        if (n < 3) {
            return Interval.UNDEFINED;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int used = 0;
        double[] bx = new double[n], by = new double[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                bx[i] = x[k];
                by[i] = y[k];
            }
            double v = statistic.applyAsDouble(bx, by);
            if (!Double.isNaN(v)) {
                values[used++] = v;
            }
        }
        if (used < resamples / 2 || used == 0) {
            return Interval.UNDEFINED;
        }
        double[] sorted = Arrays.copyOf(values, used);
        Arrays.sort(sorted);
        double alpha = (1 - confidence) / 2;
        return new Interval(quantile(sorted, alpha), quantile(sorted, 1 - alpha), used);
    }

    /** Linear-interpolated quantile of sorted values (type 7, as R's and NumPy's default). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
