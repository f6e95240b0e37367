package io.rankforge.jobs.validate;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Correlations between a metric and ground-truth accuracy over configurations of one band.
 * Spearman's ρ is Pearson's r of average ranks (ties share their mean rank); Kendall's τ is τ-b,
 * which corrects for ties in either variable. NaN when a variable is constant or n &lt; 2.
 */
public final class RankCorrelation {
    private RankCorrelation() {}

    public static double pearson(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    public static double spearman(double[] x, double[] y) {
        check(x, y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /** Kendall's τ-b, O(n²) (bands hold tens to a few hundred configurations). */
    public static double kendall(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
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

    /** 1-based ranks, ties given the mean of the ranks they span. */
    public static double[] averageRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
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

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("value " + i + " is not finite");
            }
        }
    }
}
