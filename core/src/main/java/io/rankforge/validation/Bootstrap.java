package io.rankforge.validation;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * Seeded percentile bootstrap of statistics of paired data (a metric and the ground truth of the same
 * configurations). Each resample draws n indices with replacement from a {@code SplittableRandom}
 * seeded with the given seed, so the same data and seed give the same interval on every run and JVM.
 * Resamples on which the statistic is NaN (e.g. every resampled x equal) are skipped; the interval is
 * {@link BootstrapInterval#UNDEFINED} when n &lt; 3 or fewer than half of the resamples are usable.
 * The bounds are the (1 − level)/2 and (1 + level)/2 quantiles of the usable resampled values, by
 * linear interpolation (type 7, the default of R and NumPy).
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** Interval of statistic(x, y), resampling the pairs (x_i, y_i). */
    public static BootstrapInterval interval(
            double[] x,
            double[] y,
            ToDoubleBiFunction<double[], double[]> statistic,
            int resamples,
            double level,
            long seed) {
        checkLengths(x, y, "x");
        checkSettings(resamples, level);
        int n = y.length;
        if (n < 3) {
            return BootstrapInterval.UNDEFINED;
        }
        double[] bx = new double[n];
        double[] by = new double[n];
        return resample(n, resamples, level, seed, idx -> {
            gather(x, idx, bx);
            gather(y, idx, by);
            return statistic.applyAsDouble(bx, by);
        });
    }

    /**
     * Interval of the difference statistic(a, y) − statistic(b, y) of two metrics a and b of the same
     * configurations, both computed on the same resampled indices in each resample (so that what the
     * two metrics share cancels out of the difference). A resample counts only when both are defined.
     */
    public static BootstrapInterval paired(
            double[] a,
            double[] b,
            double[] y,
            ToDoubleBiFunction<double[], double[]> statistic,
            int resamples,
            double level,
            long seed) {
        checkLengths(a, y, "a");
        checkLengths(b, y, "b");
        checkSettings(resamples, level);
        int n = y.length;
        if (n < 3) {
            return BootstrapInterval.UNDEFINED;
        }
        double[] ba = new double[n];
        double[] bb = new double[n];
        double[] by = new double[n];
        return resample(n, resamples, level, seed, idx -> {
            gather(a, idx, ba);
            gather(b, idx, bb);
            gather(y, idx, by);
            return statistic.applyAsDouble(ba, by) - statistic.applyAsDouble(bb, by);
        });
    }

    /**
     * The percentile interval of a statistic of resampled indices: {@code resamples} draws of n indices with
     * replacement from one seeded stream; draws where the statistic is NaN are skipped.
     */
    private static BootstrapInterval resample(
            int n, int resamples, double level, long seed, ToDoubleFunction<int[]> statisticOfDraw) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] idx = new int[n];
        double[] values = new double[resamples];
        int used = 0;
        for (int r = 0; r < resamples; r++) {
            draw(random, idx);
            double v = statisticOfDraw.applyAsDouble(idx);
            if (!Double.isNaN(v)) {
                values[used++] = v;
            }
        }
        return percentile(values, used, resamples, level);
    }

    /** Linearly interpolated quantile of sorted values (type 7), p in [0, 1]. */
    public static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static BootstrapInterval percentile(double[] values, int used, int resamples, double level) {
        // fewer than half usable, compared without integer division
        if (used == 0 || 2L * used < resamples) {
            return BootstrapInterval.UNDEFINED;
        }
        double[] sorted = Arrays.copyOf(values, used);
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new BootstrapInterval(quantile(sorted, alpha), quantile(sorted, 1 - alpha), used);
    }

    private static void draw(SplittableRandom random, int[] idx) {
        for (int i = 0; i < idx.length; i++) {
            idx[i] = random.nextInt(idx.length);
        }
    }

    private static void gather(double[] src, int[] idx, double[] dst) {
        for (int i = 0; i < idx.length; i++) {
            dst[i] = src[idx[i]];
        }
    }

    private static void checkLengths(double[] v, double[] y, String name) {
        if (v == null || y == null) {
            throw new IllegalArgumentException(name + " and y must not be null");
        }
        if (v.length != y.length) {
            throw new IllegalArgumentException(name + " and y differ in length: " + v.length + " vs " + y.length);
        }
    }

    private static void checkSettings(int resamples, double level) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
    }
}
