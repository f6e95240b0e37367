package io.rankforge.search.baseline;

import io.rankforge.profile.LayerProfile;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code vbmf} (docs/method.md §7): each layer's EVBMF rank estimate ({@link Evbmf}) from its singular
 * values, then every estimate scaled by one common factor s, r_l = round(s·r̂_l) clamped to the
 * layer's range, with the largest s that fits the budget. A layer whose estimate is 0 (EVBMF sees
 * only noise, common for small layers) is scaled as if its estimate were 1: kept at its floor, it would
 * cap the whole family far below the budget (measured: 10% of the FLOPs at every budget on vgg-mini).
 * The diagnostics report how many layers that concerns ({@code zero_estimates}).
 *
 * <p>The decomposed matrix is min(rows, cols) = full rank by rows + cols = params per rank (true of
 * every scheme). When the profile holds fewer singular values than the full rank (the paper's
 * reference data keeps the top r_max), the missing tail is unknown: the estimate then treats the
 * given values as the whole spectrum of a matrix with that many rows — an approximation, reported in
 * the diagnostics as {@code truncated_spectra}.
 */
public final class VbmfSelector implements RankSelector {
    public static final String ID = "vbmf";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        long t0 = System.nanoTime();
        int m = p.size();
        int[] estimate = new int[m];
        int truncated = 0;
        Map<String, Integer> perLayer = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            LayerProfile l = p.layer(j);
            if (!l.hasSpectrum()) {
                throw new SelectionProblemException(
                        "profile",
                        "method vbmf needs singular values, but layer " + l.name() + " of "
                                + p.profile().source()
                                + " has none: use a profile with spectra (one computed from the model, or a reference "
                                + "folder with eigenvalue.conf)");
            }
            long shortSide = l.fullRank();
            long longSide = Math.max(shortSide, Math.round(l.paramsPerRank()) - shortSide);
            double[] sv = l.singularValues();
            if (sv.length < shortSide) {
                truncated++;
                shortSide = sv.length;
                longSide = Math.max(longSide, shortSide);
            }
            estimate[j] = Evbmf.estimate(sv, shortSide, longSide, 0).rank();
            perLayer.put(l.name(), estimate[j]);
        }
        int zeros = 0;
        int[] base = new int[m];
        for (int j = 0; j < m; j++) {
            base[j] = Math.max(1, estimate[j]);
            if (estimate[j] == 0) {
                zeros++;
            }
        }
        double sMax = 1;
        for (int j = 0; j < m; j++) {
            sMax = Math.max(sMax, (double) p.hi(j) / base[j] + 1);
        }
        BudgetFit.Fit fit = BudgetFit.largestWithinBudget(p, s -> ranksAt(p, base, s), 0, sMax);
        double secs = Selection.secondsSince(t0);
        return Selection.of(
                p, ID, fit.ranks(), secs, new SelectionDiagnostics.Vbmf(fit.parameter(), perLayer, truncated, zeros));
    }

    static int[] ranksAt(SelectionProblem p, int[] estimate, double scale) {
        int[] r = new int[p.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = BudgetFit.clamp(p, j, Math.round(scale * estimate[j]));
        }
        return r;
    }
}
