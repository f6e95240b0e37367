package io.rankforge.metric;

import java.util.Arrays;

/**
 * Piecewise cubic Hermite interpolating polynomial with Fritsch–Carlson slopes (MATLAB {@code pchip},
 * SciPy {@code PchipInterpolator}).
 *
 * <p>Interior slopes: 0 where the neighbouring secants differ in sign or either is 0, else the weighted
 * harmonic mean (w1 = 2h_k + h_{k-1}, w2 = h_k + 2h_{k-1}). End slopes: the three-point one-sided
 * formula ((2h_0 + h_1)δ_0 − h_0δ_1)/(h_0 + h_1), set to 0 when its sign differs from δ_0 and limited
 * to 3δ_0 when δ_0 and δ_1 differ in sign (mirrored at the right end). Two knots give the straight line.
 * Outside [x_0, x_n] the end pieces are extended (extrapolation, as SciPy does by default).
 */
public final class Pchip {
    private final double[] x;
    private final double[] y;
    private final double[] d;

    private Pchip(double[] x, double[] y, double[] d) {
        this.x = x;
        this.y = y;
        this.d = d;
    }

    /** Builds the interpolant; x must be strictly increasing, at least two knots, all finite. */
    public static Pchip through(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "pchip: x and y differ in length (" + x.length + " vs " + y.length + ")");
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("pchip: needs at least two knots, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("pchip: knot " + i + " is not finite");
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("pchip: x must be strictly increasing (index " + i + ")");
            }
        }
        double[] xs = x.clone(), ys = y.clone();
        return new Pchip(xs, ys, slopes(xs, ys));
    }

    private static double[] slopes(double[] x, double[] y) {
        int n = x.length;
        double[] h = new double[n - 1], delta = new double[n - 1], d = new double[n];
        for (int k = 0; k < n - 1; k++) {
            h[k] = x[k + 1] - x[k];
            delta[k] = (y[k + 1] - y[k]) / h[k];
        }
        if (n == 2) {
            d[0] = delta[0];
            d[1] = delta[0];
            return d;
        }
        for (int k = 1; k < n - 1; k++) {
            double a = delta[k - 1], b = delta[k];
            if (a == 0 || b == 0 || Math.signum(a) != Math.signum(b)) {
                d[k] = 0;
            } else {
                double w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1];
                d[k] = (w1 + w2) / (w1 / a + w2 / b);
            }
        }
        d[0] = endSlope(h[0], h[1], delta[0], delta[1]);
        d[n - 1] = endSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
        return d;
    }

    /** The three-point one-sided slope at an end, with the shape-preserving limits. */
    private static double endSlope(double h0, double h1, double m0, double m1) {
        double s = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
        if (Math.signum(s) != Math.signum(m0)) {
            return 0;
        }
        if (Math.signum(m0) != Math.signum(m1) && Math.abs(s) > Math.abs(3 * m0)) {
            return 3 * m0;
        }
        return s;
    }

    /** The interpolant at q (extrapolated with the end pieces outside the knots). */
    public double value(double q) {
        int n = x.length;
        int k;
        if (q <= x[0]) {
            k = 0;
        } else if (q >= x[n - 1]) {
            k = n - 2;
        } else {
            int i = Arrays.binarySearch(x, q);
            if (i >= 0) {
                return y[i];
            }
            k = -i - 2;
        }
        double h = x[k + 1] - x[k];
        double t = (q - x[k]) / h;
        double t2 = t * t, t3 = t2 * t;
        double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
        return h00 * y[k] + h10 * h * d[k] + h01 * y[k + 1] + h11 * h * d[k + 1];
    }

    public int knots() {
        return x.length;
    }
}
