package io.rankforge.search.baseline;

import io.rankforge.search.SelectionProblem;
import java.util.function.DoubleFunction;

/**
 * Fits a one-parameter family of configurations to the budget: the family's ranks never decrease as
 * its parameter s grows, so the cost C(s) is a non-decreasing step function and the largest s with
 * C(s) within every budget is found by bisection. That configuration is the family's closest to the
 * budget from below.
 */
final class BudgetFit {
    private BudgetFit() {}

    /** The parameter and ranks found. */
    record Fit(double parameter, int[] ranks) {}

    /**
     * The family's configuration at the largest s in [sLo, sHi] within the problem's budgets. The
     * family must clamp its ranks to the problem's ranges; at sLo it must give the lowest ranks (the
     * problem guarantees those fit).
     */
    static Fit largestWithinBudget(SelectionProblem p, DoubleFunction<int[]> family, double sLo, double sHi) {
        int[] best = family.apply(sLo);
        if (!fits(p, best)) {
            best = p.loRanks();
        }
        int[] top = family.apply(sHi);
        if (fits(p, top)) {
            return new Fit(sHi, top);
        }
        double lo = sLo, hi = sHi;
        for (int it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); it++) {
            double mid = 0.5 * (lo + hi);
            int[] r = family.apply(mid);
            if (fits(p, r)) {
                lo = mid;
                best = r;
            } else {
                hi = mid;
            }
        }
        return new Fit(lo, best);
    }

    /** Within both budgets exactly (no tolerance): a baseline must never be over budget. */
    static boolean fits(SelectionProblem p, int[] ranks) {
        return p.macs(ranks) <= p.flopsBudget() && p.params(ranks) <= p.paramsBudget();
    }

    static int clamp(SelectionProblem p, int j, long rank) {
        return (int) Math.max(p.lo(j), Math.min(p.hi(j), rank));
    }
}
