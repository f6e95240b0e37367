package io.rankforge.search.optimal;

import java.util.Arrays;

/**
 * Upper bounds on the best score that layers k..n−1 can add within a remaining weight budget b.
 *
 * <p>For any multiplier λ ≥ 0, max Σ s_l(r_l) subject to Σ w_l(r_l) ≤ b is at most
 * G_k(λ) + λ·b with G_k(λ) = Σ_{l≥k} max_r (s_l(r) − λ·w_l(r)) (weak duality). The bound holds for
 * every λ, so the grid of multipliers only decides how tight it is, never whether the search is exact.
 * G_k(λ) + λ·b is convex in λ, so its minimum over the sorted grid is found by bisection.
 */
final class LagrangianBound {
    private static final int GRID = 48;
    private final double[] lambda;
    private final double[][] g; // g[k][j] = G_k(lambda[j]); g[n][j] = 0

    LagrangianBound(ScoreTable t, double[][] weight, HullSegments hulls, double[] extraLambdas) {
        double[] grid = new double[GRID + 1 + extraLambdas.length];
        int m = 0;
        grid[m++] = 0;
        double hi = hulls.maxSlope(), lo = hulls.minSlope();
        if (hi > 0) {
            lo = lo > 0 ? lo : hi * 1e-12;
            double ratio = Math.pow(hi / lo, 1.0 / (GRID - 1));
            double v = lo;
            for (int i = 0; i < GRID; i++, v *= ratio) {
                grid[m++] = v;
            }
        }
        for (double x : extraLambdas) {
            if (x > 0 && Double.isFinite(x)) {
                grid[m++] = x;
            }
        }
        double[] sorted = Arrays.stream(grid, 0, m).sorted().distinct().toArray();
        lambda = sorted;
        g = new double[t.n + 1][lambda.length];
        for (int l = t.n - 1; l >= 0; l--) {
            double[] s = t.score[l], w = weight[l];
            for (int j = 0; j < lambda.length; j++) {
                double lam = lambda[j], best = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < s.length; i++) {
                    best = Math.max(best, s[i] - lam * w[i]);
                }
                g[l][j] = g[l + 1][j] + best;
            }
        }
    }

    /** An upper bound on what layers k.. can add with weight budget b (+∞ for an infinite budget). */
    double upper(int k, double b) {
        if (b == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double[] gk = g[k];
        int lo = 0, hi = lambda.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (gk[mid + 1] + lambda[mid + 1] * b >= gk[mid] + lambda[mid] * b) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        double best = gk[lo] + lambda[lo] * b;
        // rounding can bend the sequence slightly: look at the neighbours too
        if (lo > 0) {
            best = Math.min(best, gk[lo - 1] + lambda[lo - 1] * b);
        }
        if (lo + 1 < lambda.length) {
            best = Math.min(best, gk[lo + 1] + lambda[lo + 1] * b);
        }
        return best;
    }
}
