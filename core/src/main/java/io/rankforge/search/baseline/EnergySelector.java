package io.rankforge.search.baseline;

import io.rankforge.MetricKind;
import io.rankforge.metric.LayerMetrics;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;

/**
 * {@code energy-nuclear} and {@code energy-frobenius} (docs/method.md §7; the SVD baselines of the ALDS
 * suite): one energy threshold e for every layer; each layer takes the smallest rank that keeps a
 * share e of its singular-value energy — Σ_{i≤r} σ_i / Σ σ_i (nuclear) or Σ_{i≤r} σ_i² / Σ σ_i²
 * (Frobenius, i.e. a relative squared error of at most 1 − e) — clamped to its range. The largest e
 * that fits the budget is found by bisection. Needs the layers' singular values.
 */
public final class EnergySelector implements RankSelector {
    public static final String NUCLEAR_ID = "energy-nuclear";
    public static final String FROBENIUS_ID = "energy-frobenius";

    private final MetricKind energy;

    private EnergySelector(MetricKind energy) {
        this.energy = energy;
    }

    public static EnergySelector nuclear() {
        return new EnergySelector(MetricKind.NUCLEAR);
    }

    public static EnergySelector frobenius() {
        return new EnergySelector(MetricKind.FROBENIUS);
    }

    @Override
    public String id() {
        return energy == MetricKind.NUCLEAR ? NUCLEAR_ID : FROBENIUS_ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        double[][] curves = new double[p.size()][];
        for (int j = 0; j < p.size(); j++) {
            LayerMetrics m = p.tables().layer(j);
            if (!m.has(energy)) {
                throw new SelectionProblemException(
                        "metric",
                        "method " + id() + " needs singular values, but layer "
                                + p.layer(j).name() + " of " + p.profile().source()
                                + " has none: use a profile with spectra (one computed from the model, or a reference "
                                + "folder with eigenvalue.conf)");
            }
            curves[j] = m.curve(energy);
        }
        long t0 = System.nanoTime();
        BudgetFit.Fit fit = BudgetFit.largestWithinBudget(p, e -> ranksAt(p, curves, e), 0, 1);
        double secs = Selection.secondsSince(t0);
        return Selection.of(p, id(), fit.ranks(), secs, new SelectionDiagnostics.Energy(fit.parameter()));
    }

    /** Per layer the smallest rank whose retained share reaches e (r_max when none does), clamped. */
    static int[] ranksAt(SelectionProblem p, double[][] curves, double e) {
        int[] r = new int[p.size()];
        for (int j = 0; j < r.length; j++) {
            double[] c = curves[j]; // non-decreasing, index = rank, c[0] = 0
            int lo = 1, hi = c.length - 1;
            if (c[hi] < e) {
                r[j] = BudgetFit.clamp(p, j, hi);
                continue;
            }
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (c[mid] >= e) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            r[j] = BudgetFit.clamp(p, j, lo);
        }
        return r;
    }
}
