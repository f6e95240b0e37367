package io.rankforge.metric;

import io.rankforge.MetricKind;
import io.rankforge.profile.LayerProfile;
import java.util.Map;
import java.util.NavigableMap;

/**
 * One layer's metric curves, tabulated once at every rank 0..r_max (index = rank; rank 0 is the
 * value 0 that every curve starts from). Definitions, with σ_1 ≥ σ_2 ≥ … the layer's singular values
 * and n the number of them that the profile holds (all of them for a model, the top r_max for the
 * paper's reference data):
 * <ul>
 *   <li>PCA energy (docs/method.md §2): y_p(r) = (Σ_{i=2..r} σ_i) / (Σ_{i=2..r_max} σ_i) — not squared,
 *       σ_1 left out, normalised at r_max, so y_p(1) = 0 and y_p(r_max) = 1. A layer whose
 *       denominator is 0 (r_max = 1, or σ_2.. all 0) has y_p(r) = 1 for every r ≥ 1;</li>
 *   <li>measured accuracy: y_m(r) = PCHIP through (0, 0) and the sensitivity samples (rank,
 *       normalised accuracy), evaluated at r; past the last sampled rank it keeps the last sample's
 *       value;</li>
 *   <li>Frobenius (squared-energy): e_F(r) = Σ_{i≤r} σ_i² / Σ_{i≤n} σ_i² — the retained share of the
 *       squared Frobenius norm, 1 minus the relative squared error of the rank-r truncation;</li>
 *   <li>nuclear: e_*(r) = Σ_{i≤r} σ_i / Σ_{i≤n} σ_i — the retained share of the nuclear norm.</li>
 * </ul>
 * A curve the profile cannot give (no spectrum, no samples) is {@code null}.
 */
public final class LayerMetrics {
    private final String layer;
    private final int rMax;
    private final double[] pca, measured, frobenius, nuclear;
    private final double[] logPca, logMeasured, logFrobenius, logNuclear;

    private LayerMetrics(
            String layer, int rMax, double[] pca, double[] measured, double[] frobenius, double[] nuclear) {
        this.layer = layer;
        this.rMax = rMax;
        this.pca = pca;
        this.measured = measured;
        this.frobenius = frobenius;
        this.nuclear = nuclear;
        this.logPca = log(pca);
        this.logMeasured = log(measured);
        this.logFrobenius = log(frobenius);
        this.logNuclear = log(nuclear);
    }

    /** Tabulates every curve the layer's profile can give, for ranks 0..r_max. */
    public static LayerMetrics of(LayerProfile l) {
        int rMax = l.rMax();
        double[] pca = null, fro = null, nuc = null, meas = null;
        if (l.hasSpectrum()) {
            double[] s = l.singularValues();
            if (s.length < rMax) {
                throw new IllegalArgumentException(
                        "layer " + l.name() + " has " + s.length + " singular values, fewer than its r_max " + rMax);
            }
            pca = pcaEnergy(s, rMax);
            fro = retainedShare(s, rMax, 2);
            nuc = retainedShare(s, rMax, 1);
        }
        if (l.hasSensitivity()) {
            meas = measuredCurve(l.sensitivity(), rMax);
        }
        return new LayerMetrics(l.name(), rMax, pca, meas, fro, nuc);
    }

    /** y_p at ranks 0..rMax (docs/method.md §2). */
    public static double[] pcaEnergy(double[] sv, int rMax) {
        double[] t = new double[rMax + 1];
        double denom = 0;
        for (int i = 1; i < rMax; i++) {
            denom += sv[i];
        }
        double acc = 0;
        for (int r = 1; r <= rMax; r++) {
            if (r >= 2) {
                acc += sv[r - 1];
            }
            t[r] = denom > 0 ? acc / denom : 1.0;
        }
        if (denom > 0) {
            t[rMax] = 1.0; // exactly 1 at r_max, whatever the rounding of the sums
        }
        return t;
    }

    /** Σ_{i≤r} σ_i^p / Σ_{i≤n} σ_i^p at ranks 0..rMax (p = 2: Frobenius, p = 1: nuclear). */
    public static double[] retainedShare(double[] sv, int rMax, int power) {
        double total = 0;
        for (double s : sv) {
            total += power == 2 ? s * s : s;
        }
        double[] t = new double[rMax + 1];
        double acc = 0;
        for (int r = 1; r <= rMax; r++) {
            double s = sv[r - 1];
            acc += power == 2 ? s * s : s;
            t[r] = total > 0 ? Math.min(1.0, acc / total) : 1.0;
        }
        return t;
    }

    /** y_m at ranks 0..rMax: PCHIP through (0,0) and the samples, flat past the last sample. */
    public static double[] measuredCurve(NavigableMap<Integer, Double> samples, int rMax) {
        double[] x = new double[samples.size() + 1], y = new double[samples.size() + 1];
        int i = 1;
        for (Map.Entry<Integer, Double> e : samples.entrySet()) {
            x[i] = e.getKey();
            y[i] = e.getValue();
            i++;
        }
        Pchip p = Pchip.through(x, y);
        int last = samples.lastKey();
        double lastValue = samples.lastEntry().getValue();
        double[] t = new double[rMax + 1];
        for (int r = 1; r <= rMax; r++) {
            t[r] = r >= last ? lastValue : p.value(r);
        }
        return t;
    }

    private static double[] log(double[] v) {
        if (v == null) {
            return null;
        }
        double[] l = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i] > 0 ? Math.log(v[i]) : Double.NEGATIVE_INFINITY;
        }
        return l;
    }

    public String layer() {
        return layer;
    }

    public int rMax() {
        return rMax;
    }

    /** Whether this layer has the per-layer curve of a product metric. Combined needs pca and measured. */
    public boolean has(MetricKind kind) {
        return switch (kind) {
            case PCA -> pca != null;
            case MEASURED -> measured != null;
            case COMBINED -> pca != null && measured != null;
            case FROBENIUS -> frobenius != null;
            case NUCLEAR -> nuclear != null;
        };
    }

    /** The per-layer value at rank r (0..r_max) of a product metric's curve. */
    public double value(MetricKind kind, int rank) {
        return table(kind, false)[rank];
    }

    /** log of {@link #value} (−∞ where the value is ≤ 0): the additive form that knapsacks use. */
    public double log(MetricKind kind, int rank) {
        return table(kind, true)[rank];
    }

    /** A copy of the whole table, ranks 0..r_max. */
    public double[] curve(MetricKind kind) {
        return table(kind, false).clone();
    }

    private double[] table(MetricKind kind, boolean log) {
        double[] t = switch (kind) {
            case PCA -> log ? logPca : pca;
            case MEASURED -> log ? logMeasured : measured;
            case FROBENIUS -> log ? logFrobenius : frobenius;
            case NUCLEAR -> log ? logNuclear : nuclear;
            case COMBINED ->
                throw new IllegalArgumentException("combined is not a per-layer metric; use pca and measured");
        };
        if (t == null) {
            throw new IllegalStateException("layer " + layer + " has no " + kind.id() + " curve");
        }
        return t;
    }
}
