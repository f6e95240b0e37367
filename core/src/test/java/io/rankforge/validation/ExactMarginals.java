package io.rankforge.validation;

/**
 * Reference for the sampler tests: the marginal distribution of each free layer's normalised rank
 * u_j = (r_j − lo_j)/(hi_j − lo_j) under the uniform distribution on the continuous polytope
 * {u ∈ [0, 1]^m : costLow ≤ C(u) ≤ costHigh}, computed numerically (no sampling).
 *
 * <p>The density of u_j at v is proportional to P(costLow − C(lo) − g_j·v ≤ S ≤ costHigh − C(lo) −
 * g_j·v), S = Σ_{k≠j} g_k·U_k with independent uniforms U_k and g_k = c_k·(hi_k − lo_k). The
 * distribution function of S comes from adding one uniform at a time on a grid: F_new(s) = (I(s) −
 * I(s − g))/g with I the integral of F. Only the lower tail of S is accurate to a small relative
 * error (the upper one would subtract numbers close to 1), so windows above the middle of the
 * reachable range are first mirrored (u → 1 − u).
 */
final class ExactMarginals {
    private static final int GRID = 1 << 14;
    private static final int POINTS = 1001;

    /** Per free layer (in layer order): mean, standard deviation, P(u &lt; 0.25), P(u &gt; 0.75), in u units. */
    record Marginal(int layer, double mean, double sd, double belowQ1, double aboveQ3) {}

    private ExactMarginals() {}

    static Marginal[] of(double[] c, int[] lo, int[] hi, double costLow, double costHigh) {
        int m = c.length;
        int free = 0;
        for (int j = 0; j < m; j++) {
            if (lo[j] < hi[j]) {
                free++;
            }
        }
        int[] idx = new int[free];
        double[] g = new double[free];
        double c0 = 0;
        double span = 0;
        int k = 0;
        for (int j = 0; j < m; j++) {
            c0 += c[j] * lo[j];
            if (lo[j] < hi[j]) {
                idx[k] = j;
                g[k] = c[j] * (hi[j] - lo[j]);
                span += g[k];
                k++;
            }
        }
        double a = costLow - c0;
        double b = costHigh - c0;
        boolean mirrored = (a + b) / 2 > span / 2;
        if (mirrored) {
            double a2 = span - b;
            b = span - a;
            a = a2;
        }
        Marginal[] out = new Marginal[free];
        for (int f = 0; f < free; f++) {
            double others = span - g[f];
            double h = others / GRID;
            double[] cdf = othersCdf(g, f, h);
            double[] dens = new double[POINTS];
            for (int p = 0; p < POINTS; p++) {
                double v = (double) p / (POINTS - 1);
                dens[p] = Math.max(0, at(cdf, h, b - g[f] * v) - at(cdf, h, a - g[f] * v));
            }
            double z = 0;
            double s1 = 0;
            double s2 = 0;
            double lowQ = 0;
            double highQ = 0;
            for (int p = 0; p + 1 < POINTS; p++) {
                // trapezoids: each cell's weight and midpoint
                double w = (dens[p] + dens[p + 1]) / 2;
                double v = (p + 0.5) / (POINTS - 1);
                double u = mirrored ? 1 - v : v;
                z += w;
                s1 += w * u;
                s2 += w * u * u;
                if (u < 0.25) {
                    lowQ += w;
                } else if (u > 0.75) {
                    highQ += w;
                }
            }
            double mean = s1 / z;
            out[f] = new Marginal(idx[f], mean, Math.sqrt(Math.max(0, s2 / z - mean * mean)), lowQ / z, highQ / z);
        }
        return out;
    }

    /** F of Σ_{k≠skip} g_k·U_k on the grid s_i = i·h, i = 0..GRID. */
    private static double[] othersCdf(double[] g, int skip, double h) {
        double[] f = new double[GRID + 1];
        boolean first = true;
        double[] integral = new double[GRID + 1];
        for (int k = 0; k < g.length; k++) {
            if (k == skip) {
                continue;
            }
            if (first) {
                for (int i = 0; i <= GRID; i++) {
                    f[i] = Math.min(1, i * h / g[k]);
                }
                first = false;
                continue;
            }
            integral[0] = 0;
            for (int i = 1; i <= GRID; i++) {
                integral[i] = integral[i - 1] + (f[i - 1] + f[i]) * h / 2;
            }
            double[] next = new double[GRID + 1];
            for (int i = 0; i <= GRID; i++) {
                double s = i * h;
                next[i] = Math.min(1, Math.max(0, (integral[i] - interp(integral, h, s - g[k])) / g[k]));
            }
            f = next;
        }
        if (first) {
            // a single free layer: S = 0
            java.util.Arrays.fill(f, 1);
        }
        return f;
    }

    private static double interp(double[] v, double h, double s) {
        if (s <= 0) {
            return 0;
        }
        double x = s / h;
        int i = (int) Math.floor(x);
        if (i >= GRID) {
            // beyond the grid the integral of a CDF that is 1 grows linearly
            return v[GRID] + (s - GRID * h);
        }
        return v[i] + (x - i) * (v[i + 1] - v[i]);
    }

    private static double at(double[] cdf, double h, double s) {
        if (s < 0) {
            return 0;
        }
        double x = s / h;
        int i = (int) Math.floor(x);
        if (i >= GRID) {
            return 1;
        }
        return cdf[i] + (x - i) * (cdf[i + 1] - cdf[i]);
    }
}
