package io.rankforge.validation;

import java.util.Arrays;

/**
 * How well a metric x orders n configurations the way their ground truth y does (higher is better
 * for both). Every method takes two arrays of equal length holding finite values, and returns NaN
 * where the statistic is undefined (too few configurations, or a variable that does not vary).
 *
 * <ul>
 *   <li>{@link #spearman}: Pearson's r of the average ranks (ties share their mean rank);</li>
 *   <li>{@link #kendallTauB}: Kendall's τ-b, which corrects for ties in either variable;</li>
 *   <li>{@link #concordance}: over the pairs whose y differ, the fraction ordered alike by x, a tie in
 *       x counting one half (0.5 is chance level, 1 a perfect order);</li>
 *   <li>{@link #topKPrecision}: the share of the k best configurations by y that are also among the k
 *       best by x;</li>
 *   <li>{@link #regret}: best y minus the y of the configuration that x ranks highest.</li>
 * </ul>
 */
public final class RankAgreement {
    private RankAgreement() {}

    /** Pearson's r; NaN when n &lt; 2 or either variable is constant. */
    public static double pearson(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        // rounding can push |r| a hair past 1 for exactly collinear data
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    /** Spearman's ρ: Pearson's r of average ranks; NaN when n &lt; 2 or either variable is constant. */
    public static double spearman(double[] x, double[] y) {
        check(x, y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /**
     * Kendall's τ-b = (C − D) / √((C + D + T_x)(C + D + T_y)), T_x counting pairs tied in x only and
     * T_y pairs tied in y only; NaN when n &lt; 2 or either variable is constant. O(n²): strata hold
     * tens to a few hundred configurations.
     */
    public static double kendallTauB(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        long concordant = 0;
        long discordant = 0;
        long tiesX = 0;
        long tiesY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = order(x[i], x[j]);
                int sy = order(y[i], y[j]);
                if (sx == 0 && sy == 0) {
                    continue;
                }
                if (sx == 0) {
                    tiesX++;
                } else if (sy == 0) {
                    tiesY++;
                } else if (sx == sy) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double denom = Math.sqrt((double) (concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        if (denom == 0) {
            return Double.NaN;
        }
        return (concordant - discordant) / denom;
    }

    /**
     * Over the pairs (i, j) with y_i ≠ y_j, the fraction whose order x reproduces, a tie in x counting
     * 1/2. NaN when no such pair exists (n &lt; 2 or y constant); a constant x gives 0.5.
     */
    public static double concordance(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        long pairs = 0;
        // in half-units so that ties in x stay integral
        long halves = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sy = order(y[i], y[j]);
                if (sy == 0) {
                    continue;
                }
                pairs++;
                int sx = order(x[i], x[j]);
                if (sx == 0) {
                    halves += 1;
                } else if (sx == sy) {
                    halves += 2;
                }
            }
        }
        return pairs == 0 ? Double.NaN : halves / (2.0 * pairs);
    }

    /**
     * |top-k by x ∩ top-k by y| / k with k = max(1, ⌈fraction·n⌉). Ties at the k-th place are broken
     * by index order (the lower index ranks higher), in x and in y alike, so the answer is
     * deterministic; callers pass configurations in a fixed order (e.g. by trial id). NaN when n = 0.
     *
     * @param fraction the share of configurations counted as "top", in (0, 1]
     */
    public static double topKPrecision(double[] x, double[] y, double fraction) {
        check(x, y);
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        int n = x.length;
        if (n == 0) {
            return Double.NaN;
        }
        // the slack keeps a product that rounding lifts past an integer (0.07·100 = 7.000000000000001) at it
        int k = (int) Math.max(1, Math.min(n, Math.ceil(fraction * n - 1e-9)));
        boolean[] topY = new boolean[n];
        for (int i : topIndices(y, k)) {
            topY[i] = true;
        }
        int common = 0;
        for (int i : topIndices(x, k)) {
            if (topY[i]) {
                common++;
            }
        }
        return (double) common / k;
    }

    /**
     * max y − y[argmax x], ties in x broken by the lowest index (the configuration listed first); NaN
     * when n = 0. Never negative; 0 when x picks a best configuration.
     */
    public static double regret(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        if (n == 0) {
            return Double.NaN;
        }
        int pick = 0;
        double best = y[0];
        for (int i = 1; i < n; i++) {
            if (x[i] > x[pick]) {
                pick = i;
            }
            best = Math.max(best, y[i]);
        }
        return best - y[pick];
    }

    /** 1-based ranks in ascending order of value, ties given the mean of the ranks they span. */
    public static double[] averageRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> order(v[a], v[b]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = mean;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Indices of the k largest values, the lower index first among equal values. */
    private static int[] topIndices(double[] v, int k) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is stable, so equal values keep index order
        Arrays.sort(order, (a, b) -> order(v[b], v[a]));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = order[i];
        }
        return top;
    }

    /** −1, 0 or 1; unlike Double.compare, −0.0 and 0.0 are a tie (as == has it). */
    private static int order(double a, double b) {
        return a < b ? -1 : (a > b ? 1 : 0);
    }

    static void check(double[] x, double[] y) {
        if (x == null || y == null) {
            throw new IllegalArgumentException("x and y must not be null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("x[" + i + "] is not finite: " + x[i]);
            }
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("y[" + i + "] is not finite: " + y[i]);
            }
        }
    }
}
