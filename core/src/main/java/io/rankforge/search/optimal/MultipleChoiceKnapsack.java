package io.rankforge.search.optimal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exact maximisation of Σ_l score_l(r_l) subject to Σ_l macsPerRank_l·r_l ≤ B (and optionally
 * Σ_l paramsPerRank_l·r_l ≤ P): a multiple-choice knapsack (method.md §6).
 *
 * <p>Dynamic programming over layers on the set of non-dominated partial configurations (a state of
 * layers 0..k−1 is dropped only if another one costs no more MACs, no more parameters and scores at
 * least as much — every completion of the first is then matched by the second), with
 * branch-and-bound: a state is dropped when even the Lagrangian upper bound of the remaining layers
 * ({@link LagrangianBound}) cannot lift it to the score of a feasible configuration already known
 * (the greedy LP-rounding incumbent). Both rules keep an optimal configuration, so the result is
 * exact for any costs — no discretisation of the budget, nothing rounded. Ties go to the cheaper
 * configuration. Metric terms of 0 (score −∞) are handled exactly, see {@link ScoreTable}.
 *
 * <p>{@link #front} solves a whole grid of budgets in one pass: a state is kept while it can still
 * matter for at least one of them, and each budget's answer is read off the final non-dominated set.
 */
public final class MultipleChoiceKnapsack {
    private static final double NO_LIMIT = Double.POSITIVE_INFINITY;

    private final ScoreTable t;
    private final double paramsBudget;
    private final HullSegments macsHulls;
    private final HullSegments paramsHulls;   // null without a params budget

    private MultipleChoiceKnapsack(List<KnapsackLayer> layers, double paramsBudget) {
        if (!(paramsBudget >= 0)) throw new IllegalArgumentException("params budget must be >= 0, got " + paramsBudget);
        this.t = new ScoreTable(layers);
        this.paramsBudget = paramsBudget;
        this.macsHulls = new HullSegments(t, t.macs);
        this.paramsHulls = paramsBudget == NO_LIMIT ? null : new HullSegments(t, t.params);
    }

    /** The best configuration with Σ MACs ≤ budget; empty when even the lowest ranks cost more. */
    public static Optional<KnapsackSolution> maximise(List<KnapsackLayer> layers, double budget) {
        return maximise(layers, budget, NO_LIMIT);
    }

    /** The best configuration with Σ MACs ≤ budget and Σ params ≤ paramsBudget (∞: no params limit). */
    public static Optional<KnapsackSolution> maximise(List<KnapsackLayer> layers, double budget, double paramsBudget) {
        return front(layers, new double[]{budget}, paramsBudget).get(0);
    }

    /**
     * The best configuration for every MACs budget in {@code budgets} (any order), in one pass; an
     * element is empty where that budget is below the cost of the lowest ranks. Along increasing
     * budgets both the score and the cost of the answers are non-decreasing.
     */
    public static List<Optional<KnapsackSolution>> front(List<KnapsackLayer> layers, double[] budgets, double paramsBudget) {
        for (double b : budgets) if (!(b >= 0)) throw new IllegalArgumentException("budget must be >= 0, got " + b);
        return new MultipleChoiceKnapsack(layers, paramsBudget).solve(budgets);
    }

    private List<Optional<KnapsackSolution>> solve(double[] budgetsIn) {
        double[] budgets = budgetsIn.clone();
        Arrays.sort(budgets);
        int nb = budgets.length;
        boolean paramsFeasible = t.minParamsSuffix[0] <= paramsBudget;

        // incumbents: greedy LP rounding per budget (−∞ where nothing fits)
        double[] incumbent = new double[nb];
        double[] extraMacsLambdas = new double[nb];
        for (int j = 0; j < nb; j++) {
            int[] idx = paramsFeasible ? greedy(budgets[j]) : null;
            incumbent[j] = idx == null ? NO_LIMIT : scoreOf(idx);
            extraMacsLambdas[j] = macsHulls.multiplierAt(budgets[j]);
        }
        LagrangianBound macsBound = new LagrangianBound(t, t.macs, macsHulls, extraMacsLambdas);
        LagrangianBound paramsBound = paramsHulls == null ? null
                : new LagrangianBound(t, t.params, paramsHulls, new double[]{paramsHulls.multiplierAt(paramsBudget)});
        double maxBudget = budgets[nb - 1];
        double[] slack = new double[nb];
        for (int j = 0; j < nb; j++) slack[j] = 1e-9 * (1 + Math.abs(incumbent[j]));

        // frontier of level k: partial configurations of layers 0..k-1
        Frontier f = new Frontier(1);
        f.add(0, 0, 0, -1, -1);
        List<int[]> parents = new ArrayList<>(), choices = new ArrayList<>();
        for (int k = 0; k < t.n && paramsFeasible; k++) {
            double restMacs = t.minMacsSuffix[k + 1], restParams = t.minParamsSuffix[k + 1];
            double[] w = t.macs[k], p = t.params[k], s = t.score[k];
            Frontier next = new Frontier(Math.max(16, f.size * 4));
            for (int st = 0; st < f.size; st++) {
                double c0 = f.macs[st], p0 = f.params[st], v0 = f.score[st];
                for (int i = 0; i < s.length; i++) {
                    double c = c0 + w[i];
                    if (c + restMacs > maxBudget) break;              // MACs grow with the rank
                    double pr = p0 + p[i];
                    if (pr + restParams > paramsBudget) break;         // so do parameters
                    double v = v0 + s[i];
                    if (promising(k + 1, c, pr, v, restMacs, budgets, incumbent, slack, macsBound, paramsBound)) {
                        next.add(c, pr, v, st, i);
                    }
                }
            }
            f = paramsBound == null ? next.nonDominated1D() : next.nonDominated2D();
            parents.add(f.parent);
            choices.add(f.choice);
        }

        // read each budget's answer off the final non-dominated set
        Map<Double, Optional<KnapsackSolution>> byBudget = new TreeMap<>();
        for (int j = 0; j < nb; j++) {
            int best = -1;
            if (paramsFeasible) {
                for (int st = 0; st < f.size; st++) {
                    if (f.macs[st] > budgets[j] || f.params[st] > paramsBudget) continue;
                    if (best < 0 || f.score[st] > f.score[best]
                            || (f.score[st] == f.score[best] && f.macs[st] < f.macs[best])) best = st;
                }
            }
            byBudget.put(budgets[j], best < 0 ? Optional.empty() : Optional.of(solution(budgets[j], trace(best, parents, choices))));
        }
        List<Optional<KnapsackSolution>> out = new ArrayList<>(nb);
        for (double b : budgetsIn) out.add(byBudget.get(b));
        return out;
    }

    /** Can a state of layers 0..k−1 still reach or beat some budget's incumbent? */
    private boolean promising(int k, double c, double pr, double v, double restMacs, double[] budgets,
                              double[] incumbent, double[] slack, LagrangianBound macsBound, LagrangianBound paramsBound) {
        double paramsUpper = paramsBound == null ? NO_LIMIT : paramsBound.upper(k, paramsBudget - pr);
        int j = firstAtLeast(budgets, c + restMacs);
        for (; j < budgets.length; j++) {
            double upper = Math.min(macsBound.upper(k, budgets[j] - c), paramsUpper);
            if (v + upper >= incumbent[j] - slack[j]) return true;
        }
        return false;
    }

    private static int firstAtLeast(double[] sorted, double x) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] >= x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** Greedy LP rounding plus single-layer improvement: a feasible configuration (choice indices), or null. */
    int[] greedy(double budget) {
        if (t.minMacsSuffix[0] > budget || t.minParamsSuffix[0] > paramsBudget) return null;
        int[] idx = new int[t.n];
        double macs = t.minMacsSuffix[0], params = t.minParamsSuffix[0];
        boolean[] blocked = new boolean[t.n];
        for (int sgm = 0; sgm < macsHulls.size(); sgm++) {
            int l = macsHulls.layer[sgm];
            if (blocked[l] || idx[l] != macsHulls.from[sgm]) continue;
            int to = macsHulls.to[sgm];
            double dm = t.macs[l][to] - t.macs[l][idx[l]], dp = t.params[l][to] - t.params[l][idx[l]];
            if (macs + dm <= budget && params + dp <= paramsBudget) {
                idx[l] = to;
                macs += dm;
                params += dp;
            } else {
                blocked[l] = true;
            }
        }
        for (int pass = 0; pass < 3; pass++) {
            boolean changed = false;
            for (int l = 0; l < t.n; l++) {
                double otherMacs = macs - t.macs[l][idx[l]], otherParams = params - t.params[l][idx[l]];
                int best = idx[l];
                for (int i = 0; i < t.choices(l); i++) {
                    if (otherMacs + t.macs[l][i] > budget || otherParams + t.params[l][i] > paramsBudget) break;
                    if (t.score[l][i] > t.score[l][best]) best = i;
                }
                if (best != idx[l]) {
                    macs = otherMacs + t.macs[l][best];
                    params = otherParams + t.params[l][best];
                    idx[l] = best;
                    changed = true;
                }
            }
            if (!changed) break;
        }
        return idx;
    }

    private double scoreOf(int[] idx) {
        double v = 0;
        for (int l = 0; l < t.n; l++) v += t.score[l][idx[l]];
        return v;
    }

    private static int[] trace(int state, List<int[]> parents, List<int[]> choices) {
        int n = parents.size();
        int[] idx = new int[n];
        for (int k = n - 1; k >= 0; k--) {
            idx[k] = choices.get(k)[state];
            state = parents.get(k)[state];
        }
        return idx;
    }

    private KnapsackSolution solution(double budget, int[] idx) {
        int[] ranks = new int[t.n];
        double macs = 0, params = 0, score = 0;
        int zeros = 0;
        for (int l = 0; l < t.n; l++) {
            ranks[l] = t.minRank[l] + idx[l];
            macs += t.macs[l][idx[l]];
            params += t.params[l][idx[l]];
            double raw = t.raw[l][idx[l]];
            if (raw == Double.NEGATIVE_INFINITY) zeros++;
            score += raw;
        }
        return new KnapsackSolution(budget, ranks, score, macs, params, zeros);
    }
}
