package io.rankforge.search.baseline;

/**
 * The rank that empirical variational Bayesian matrix factorisation (EVBMF) estimates for a matrix,
 * from its singular values alone: the analytic global solution of Nakajima, Sugiyama, Babacan and
 * Tomioka, "Global analytic solution of fully-observed variational Bayesian matrix factorization",
 * JMLR 14 (2013), with the noise variance estimated as well (the form the ALDS/VBMF literature uses
 * to pick layer ranks).
 *
 * <p>For an L×M matrix (L ≤ M, α = L/M) with singular values γ_h and noise variance σ², write
 * x_h = γ_h²/(Mσ²). The EVB solution keeps component h exactly when x_h exceeds
 * x̲ = (1 + τ̲)(1 + α/τ̲), where τ̲ > 0 solves τ = log(τ + 1) + α·log(τ/α + 1) (≈ 2.5129·√α).
 * The noise variance minimises the free energy, which in units of M/2 is
 * Σ_{x_h ≤ x̲} (x_h − log x_h) + Σ_{x_h > x̲} (x_h − τ_h + log((τ_h + 1)/x_h) + α·log(τ_h/α + 1))
 * + residual/(Mσ²) + (L − H)·log σ² with τ_h = ½(x_h − 1 − α + √((x_h − 1 − α)² − 4α)), H the
 * number of singular values given and residual the squared norm they leave out; it is minimised over
 * the interval the paper proves contains the optimum, by a log-spaced scan refined by golden section.
 */
public final class Evbmf {
    private static final int SCAN = 400;

    /**
     * @param rank          number of components EVBMF keeps
     * @param noiseVariance the estimated σ²
     * @param threshold     the singular value a component must exceed, √(M·σ²·x̲)
     */
    public record Estimate(int rank, double noiseVariance, double threshold) {}

    private Evbmf() {}

    /**
     * EVBMF on a matrix with these singular values (descending) and shape rows × cols.
     *
     * @param residual the squared Frobenius norm not carried by the given values (0 when all
     *                 min(rows, cols) values are given)
     */
    public static Estimate estimate(double[] singularValues, long rows, long cols, double residual) {
        long lLong = Math.min(rows, cols), mLong = Math.max(rows, cols);
        int h = singularValues.length;
        if (h == 0) {
            throw new IllegalArgumentException("EVBMF needs at least one singular value");
        }
        if (h > lLong) {
            throw new IllegalArgumentException("more singular values (" + h + ") than min(rows, cols) = " + lLong);
        }
        if (!(residual >= 0)) {
            throw new IllegalArgumentException("residual must be >= 0, got " + residual);
        }
        double l = lLong, m = mLong, alpha = l / m;
        double[] g2 = new double[h];
        double total = residual;
        for (int i = 0; i < h; i++) {
            g2[i] = singularValues[i] * singularValues[i];
            total += g2[i];
        }
        if (!(total > 0)) {
            return new Estimate(0, 0, 0);
        }
        double tauBar = tauBar(alpha);
        double xBar = (1 + tauBar) * (1 + alpha / tauBar);

        // the interval that holds the optimal σ² (JMLR 2013, Theorem on the noise variance)
        int hBar = (int) Math.min(Math.ceil(l / (1 + alpha)) - 1, h) - 1; // last index that may be kept
        double upper = total / (l * m);
        double lower = 0;
        if (hBar + 1 < h) {
            double tail = 0;
            for (int i = hBar + 1; i < h; i++) {
                tail += g2[i];
            }
            lower = Math.max(g2[hBar + 1] / (m * xBar), tail / (h - hBar - 1) / m);
        }
        if (!(lower > 0) || lower >= upper) {
            lower = upper * 1e-6;
        }

        // log-spaced scan, then golden section around the best point
        double lo = Math.log(lower), hi = Math.log(upper);
        double bestU = lo, bestF = Double.POSITIVE_INFINITY;
        for (int k = 0; k <= SCAN; k++) {
            double u = lo + (hi - lo) * k / SCAN;
            double f = freeEnergy(Math.exp(u), g2, l, m, residual, alpha, xBar);
            if (f < bestF) {
                bestF = f;
                bestU = u;
            }
        }
        double step = (hi - lo) / SCAN;
        double a = Math.max(lo, bestU - step), b = Math.min(hi, bestU + step);
        double phi = (Math.sqrt(5) - 1) / 2;
        double c = b - phi * (b - a), d = a + phi * (b - a);
        double fc = freeEnergy(Math.exp(c), g2, l, m, residual, alpha, xBar);
        double fd = freeEnergy(Math.exp(d), g2, l, m, residual, alpha, xBar);
        for (int it = 0; it < 80; it++) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = freeEnergy(Math.exp(c), g2, l, m, residual, alpha, xBar);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = freeEnergy(Math.exp(d), g2, l, m, residual, alpha, xBar);
            }
        }
        double golden = Math.min(fc, fd);
        double sigma2 = golden < bestF ? Math.exp(fc <= fd ? c : d) : Math.exp(bestU);
        double threshold = Math.sqrt(m * sigma2 * xBar);
        int rank = 0;
        for (double s : singularValues) {
            if (s > threshold) {
                rank++;
            }
        }
        return new Estimate(rank, sigma2, threshold);
    }

    /** The free energy of the EVB solution as a function of σ² (constants dropped, units of M/2). */
    static double freeEnergy(
            double sigma2, double[] g2, double l, double m, double residual, double alpha, double xBar) {
        double f = 0;
        for (double g : g2) {
            double x = g / (m * sigma2);
            if (x > xBar) {
                double tau = tau(x, alpha);
                f += x - tau + Math.log((tau + 1) / x) + alpha * Math.log(tau / alpha + 1);
            } else {
                f += x - Math.log(x);
            }
        }
        return f + residual / (m * sigma2) + (l - g2.length) * Math.log(sigma2);
    }

    /** τ(x) = ½(x − 1 − α + √((x − 1 − α)² − 4α)), the larger root of τ + α/τ = x − 1 − α. */
    static double tau(double x, double alpha) {
        double b = x - 1 - alpha;
        return 0.5 * (b + Math.sqrt(Math.max(0, b * b - 4 * alpha)));
    }

    /** The positive root of log(τ + 1) + α·log(τ/α + 1) − τ, by bisection. */
    static double tauBar(double alpha) {
        double lo = Math.sqrt(alpha) * 1e-3, hi = 10 + 10 * Math.sqrt(alpha);
        // ψ(τ) = log(τ+1) + α log(τ/α+1) − τ is positive just above 0 and negative for large τ
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double psi = Math.log(mid + 1) + alpha * Math.log(mid / alpha + 1) - mid;
            if (psi > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
