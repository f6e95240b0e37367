package io.rankforge.search.baseline;

import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;

/**
 * {@code uniform} (docs/method.md §7): every searched layer at the same fraction f of its r_max,
 * r_l = round(f·r_max,l) clamped to its range, with the largest f that fits the budget.
 */
public final class UniformSelector implements RankSelector {
    public static final String ID = "uniform";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        long t0 = System.nanoTime();
        BudgetFit.Fit fit = BudgetFit.largestWithinBudget(p, f -> ranksAt(p, f), 0, 1);
        double secs = Selection.secondsSince(t0);
        return Selection.of(p, ID, fit.ranks(), secs, new SelectionDiagnostics.Uniform(fit.parameter()));
    }

    static int[] ranksAt(SelectionProblem p, double fraction) {
        int[] r = new int[p.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = BudgetFit.clamp(p, j, Math.round(fraction * p.rMax(j)));
        }
        return r;
    }
}
