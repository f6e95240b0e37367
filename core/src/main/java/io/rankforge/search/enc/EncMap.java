package io.rankforge.search.enc;

import io.rankforge.MetricKind;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;

/**
 * ENC-Map (docs/method.md §3): every layer at the same metric level a; the level is chosen so that the
 * configuration's cost meets the budget. C(a) is monotone in a, so the level is found by bisection
 * (to 1e-12) between the cheapest configuration and the highest level; with a single target the
 * configuration just below or just above the crossing is returned, whichever cost is nearer the
 * target; with FLOPs and params targets together, the highest level within both.
 *
 * <p>The ranks are clamped to [rank floor, r_max] (and a fixed first layer kept at its rank) inside
 * the cost function, so the clamp cannot push the final cost off the target. Combined uses the
 * measured curves, as the paper's ENC-Map for VGG-16 does.
 */
public final class EncMap implements RankSelector {
    public static final String ID = "enc-map";

    /** The ranks ENC-Map gives for a budget, and the level they come from. */
    public record Result(int[] ranks, double level, boolean extended) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        p.tables();
        long t0 = System.nanoTime();
        LevelCurves curves = LevelCurves.of(p, p.metric());
        // the level whose cost is at or below the budget: no pick may spend more than its budget
        Result r = atBudget(p, curves, p.flopsBudget(), p.paramsBudget(), false);
        double secs = Selection.secondsSince(t0);
        return Selection.of(p, ID, r.ranks(), secs, new SelectionDiagnostics.EncMap(r.level(), r.extended()));
    }

    /**
     * ENC-Map's ranks at a fraction of the compressed layers' original cost, MACs or parameters
     * (ENC-Model's bounds use it at target ± δ).
     */
    public static Result atFraction(SelectionProblem p, MetricKind kind, double fraction, boolean ofParams) {
        double inf = Double.POSITIVE_INFINITY;
        LevelCurves c = LevelCurves.of(p, kind);
        return ofParams
                ? atBudget(p, c, inf, fraction * p.baseParams(), true)
                : atBudget(p, c, fraction * p.baseMacs(), inf, true);
    }

    /**
     * The ranks at the level whose cost meets the budgets (MACs and/or params of all compressed layers;
     * an infinite budget does not constrain). A budget below the cheapest configuration gives the
     * cheapest; one above the most expensive reachable gives that.
     */
    static Result atBudget(
            SelectionProblem p, LevelCurves curves, double macsBudget, double paramsBudget, boolean nearest) {
        if (!(macsBudget > 0) || !(paramsBudget > 0)) {
            return new Result(curves.ranksAt(0, false), 0, false);
        }
        boolean ext = false;
        double top = curves.topLevel();
        if (load(p, curves.ranksAt(top, false), macsBudget, paramsBudget) < 1) {
            ext = true; // a saturating layer keeps the target out of reach: let the top knots reach r_max
        }
        int[] high = curves.ranksAt(top, ext);
        if (load(p, high, macsBudget, paramsBudget) <= 1) {
            return new Result(high, top, ext);
        }
        int[] low = curves.ranksAt(0, ext);
        if (load(p, low, macsBudget, paramsBudget) > 1) {
            return new Result(low, 0, ext);
        }
        double aL = 0, aH = top;
        for (int it = 0; it < 200 && aH - aL > 1e-12; it++) {
            double mid = 0.5 * (aL + aH);
            int[] r = curves.ranksAt(mid, ext);
            if (load(p, r, macsBudget, paramsBudget) <= 1) {
                aL = mid;
                low = r;
            } else {
                aH = mid;
                high = r;
            }
        }
        if (nearest
                && Math.abs(load(p, high, macsBudget, paramsBudget) - 1)
                        < Math.abs(load(p, low, macsBudget, paramsBudget) - 1)) {
            return new Result(high, aH, ext);
        }
        return new Result(low, aL, ext);
    }

    /** The largest cost/budget ratio over the constrained quantities. */
    private static double load(SelectionProblem p, int[] ranks, double macsBudget, double paramsBudget) {
        double l = 0;
        if (Double.isFinite(macsBudget)) {
            l = Math.max(l, p.macs(ranks) / macsBudget);
        }
        if (Double.isFinite(paramsBudget)) {
            l = Math.max(l, p.params(ranks) / paramsBudget);
        }
        return l;
    }
}
