package io.rankforge.search.optimal;

import io.rankforge.MetricKind;
import io.rankforge.metric.MetricTables;
import io.rankforge.search.InfeasibleBudgetException;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code optimal} (docs/method.md §6): the exact maximum of a product metric (A_p, A_m, or the Frobenius
 * and nuclear variants) under the FLOPs budget and, when given, the params budget, by
 * {@link MultipleChoiceKnapsack}. A first layer fixed by the first-layer rule is paid for before the
 * search; every other compressed layer ranges over [rank floor, r_max]; excluded layers are not in
 * the problem at all.
 */
public final class OptimalSelector implements RankSelector {
    public static final String ID = "optimal";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        List<KnapsackLayer> layers = knapsackLayers(p);
        long t0 = System.nanoTime();
        Optional<KnapsackSolution> s =
                MultipleChoiceKnapsack.maximise(layers, p.flopsBudgetAfterFixed(), p.paramsBudgetAfterFixed());
        double secs = Selection.secondsSince(t0);
        return selection(p, s.orElseThrow(() -> belowCheapest(p)), secs);
    }

    /**
     * The Pareto front on a grid of FLOPs targets: for each fraction (of the compressed layers'
     * original MACs, in (0, 1]) the optimal configuration, all from one pass of the knapsack. The
     * problem's own FLOPs target is ignored; its params target, if any, holds for every point.
     * Fractions below the cheapest configuration are left out. Along rising fractions the metric and
     * the cost of the answers never decrease.
     */
    public static List<Selection> front(SelectionProblem p, double[] flopsFractions) {
        List<KnapsackLayer> layers = knapsackLayers(p);
        double fixedMacs = p.fixedIndex() >= 0 ? p.macsPerRank(p.fixedIndex()) * p.lo(p.fixedIndex()) : 0;
        double[] budgets = new double[flopsFractions.length];
        for (int i = 0; i < budgets.length; i++) {
            double f = flopsFractions[i];
            if (!(f > 0 && f <= 1)) {
                throw new SelectionProblemException("paretoFractions", "Pareto fractions must be in (0, 1], got " + f);
            }
            budgets[i] = Math.max(0, f * p.baseMacs() - fixedMacs);
        }
        long t0 = System.nanoTime();
        List<Optional<KnapsackSolution>> sols =
                MultipleChoiceKnapsack.front(layers, budgets, p.paramsBudgetAfterFixed());
        double secs = Selection.secondsSince(t0);
        List<Selection> out = new ArrayList<>();
        for (int i = 0; i < sols.size(); i++) {
            if (sols.get(i).isEmpty()) {
                continue;
            }
            Selection s = selection(p, sols.get(i).get(), secs);
            SelectionDiagnostics.Optimal d =
                    ((SelectionDiagnostics.Optimal) s.diagnostics()).atTarget(flopsFractions[i]);
            out.add(new Selection(
                    s.method(),
                    s.metric(),
                    s.configuration(),
                    s.flopsRatio(),
                    s.paramsRatio(),
                    s.networkFlopsRatio(),
                    s.metrics(),
                    s.searchSeconds(),
                    d));
        }
        return out;
    }

    /** The searched layers as knapsack groups: ranks [lo, hi], score log y_l(r). */
    static List<KnapsackLayer> knapsackLayers(SelectionProblem p) {
        MetricKind kind = p.metric();
        if (!kind.isProduct()) {
            throw new SelectionProblemException(
                    "metric",
                    "method optimal maximises a product metric (pca, measured, frobenius or nuclear); " + kind.id()
                            + " is not one: use the pca or measured metric, or method enc-model for "
                            + kind.id());
        }
        MetricTables tables = p.tables();
        List<KnapsackLayer> layers = new ArrayList<>();
        for (int j : p.searched()) {
            int lo = p.lo(j), hi = p.hi(j);
            double[] score = new double[hi - lo + 1];
            for (int r = lo; r <= hi; r++) {
                score[r - lo] = tables.layer(j).log(kind, r);
            }
            layers.add(new KnapsackLayer(lo, score, p.macsPerRank(j), p.paramsPerRank(j)));
        }
        return layers;
    }

    private static Selection selection(SelectionProblem p, KnapsackSolution s, double secs) {
        int[] ranks = p.loRanks(); // a fixed first layer keeps its rank
        int[] searched = p.searched();
        for (int k = 0; k < searched.length; k++) {
            ranks[searched[k]] = s.ranks()[k];
        }
        SelectionDiagnostics.Optimal d = new SelectionDiagnostics.Optimal(
                p.tables().logValue(p.metric(), ranks), s.zeroTerms(), true, OptionalDouble.empty());
        return Selection.of(p, ID, ranks, secs, d);
    }

    private static InfeasibleBudgetException belowCheapest(SelectionProblem p) {
        return new InfeasibleBudgetException(String.format(
                java.util.Locale.ROOT,
                "the budget is below the cheapest configuration (%.4f of the compressed layers' MACs, every "
                        + "layer at its rank floor): "
                        + "raise targetFlops/targetParams or lower minRankFraction",
                p.minMacs() / p.baseMacs()));
    }
}
