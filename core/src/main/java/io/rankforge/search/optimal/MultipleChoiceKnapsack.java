package io.rankforge.search.optimal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact maximisation of Σ_l score_l(r_l) subject to Σ_l macsPerRank_l·r_l ≤ B (and optionally
 * Σ_l paramsPerRank_l·r_l ≤ P): a multiple-choice knapsack (docs/method.md §6).
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
 * <p>Each budget is solved in a few passes with an aspiration level between the incumbent and the
 * root bound (see {@link #solveOne}); {@link #front} shares the tables and bounds among a grid of
 * budgets.
 */
public final class MultipleChoiceKnapsack {
    private static final double NO_LIMIT = Double.POSITIVE_INFINITY;
    /** Search statistics at DEBUG (logger io.rankforge.search.optimal.MultipleChoiceKnapsack). */
    private static final Logger LOG = LoggerFactory.getLogger(MultipleChoiceKnapsack.class);

    private final ScoreTable t;
    private final double paramsBudget;
    private List<Relaxation> relaxations;

    private MultipleChoiceKnapsack(List<KnapsackLayer> layers, double paramsBudget) {
        if (!(paramsBudget >= 0)) {
            throw new IllegalArgumentException("params budget must be >= 0, got " + paramsBudget);
        }
        this.t = new ScoreTable(layers);
        this.paramsBudget = paramsBudget;
    }

    /** The best configuration with Σ MACs ≤ budget; empty when even the lowest ranks cost more. */
    public static Optional<KnapsackSolution> maximise(List<KnapsackLayer> layers, double budget) {
        return maximise(layers, budget, NO_LIMIT);
    }

    /** The best configuration with Σ MACs ≤ budget and Σ params ≤ paramsBudget (∞: no params limit). */
    public static Optional<KnapsackSolution> maximise(List<KnapsackLayer> layers, double budget, double paramsBudget) {
        return front(layers, new double[] {budget}, paramsBudget).get(0);
    }

    /**
     * The best configuration for every MACs budget in {@code budgets} (any order); an element is
     * empty where that budget is below the cost of the lowest ranks. Every answer is exact and ties go
     * to the cheapest configuration, so along increasing budgets both the score and the cost of the
     * answers are non-decreasing (a Pareto front).
     */
    public static List<Optional<KnapsackSolution>> front(
            List<KnapsackLayer> layers, double[] budgets, double paramsBudget) {
        if (budgets.length == 0) {
            return List.of();
        }
        for (double b : budgets) {
            if (!(b >= 0)) {
                throw new IllegalArgumentException("budget must be >= 0, got " + b);
            }
        }
        return new MultipleChoiceKnapsack(layers, paramsBudget).solve(budgets);
    }

    private List<Optional<KnapsackSolution>> solve(double[] budgets) {
        double maxBudget = Arrays.stream(budgets).max().getAsDouble();
        relaxations = relaxations(maxBudget);
        for (Relaxation r : relaxations) {
            double[] surrogate = new double[budgets.length];
            for (int j = 0; j < budgets.length; j++) {
                surrogate[j] = r.budget(budgets[j], paramsBudget);
            }
            r.prepare(t, surrogate);
        }
        List<Optional<KnapsackSolution>> out = new ArrayList<>(budgets.length);
        for (double b : budgets) {
            int[] idx = solveOne(b);
            out.add(idx == null ? Optional.empty() : Optional.of(solution(b, idx)));
        }
        return out;
    }

    /**
     * The optimum for one MACs budget (choice indices), or null when nothing fits.
     *
     * <p>Passes with an aspiration level T between the incumbent (best greedy LP rounding) and the
     * root bound: states that cannot reach T are dropped. If the best configuration found reaches T
     * it is optimal (the optimum, being at least as good, was never dropped); otherwise T is lowered.
     * The last pass uses the incumbent itself, which always succeeds.
     */
    private int[] solveOne(double budget) {
        if (t.minParamsSuffix[0] > paramsBudget || t.minMacsSuffix[0] > budget) {
            return null;
        }
        double incumbent = Double.NEGATIVE_INFINITY, root = Double.POSITIVE_INFINITY;
        Relaxation tightest = relaxations.get(0);
        for (Relaxation r : relaxations) {
            incumbent = Math.max(incumbent, scoreOf(greedy(r.hulls, budget)));
            double u = r.upper(0, budget, paramsBudget);
            if (u < root) {
                root = u;
                tightest = r;
            }
        }
        LOG.debug("budget {} incumbent {} root bound {}", budget, incumbent, root);
        double gap = Math.max(0, root - incumbent);
        for (double step = 1.0 / 64; ; step *= 4) {
            boolean last = step >= 1;
            double target = last ? incumbent : incumbent + gap * (1 - step);
            int[] found = pass(budget, target, tightest);
            if (last || (found != null && scoreOf(found) >= target - slack(target))) {
                return found;
            }
        }
    }

    private static double slack(double target) {
        return 1e-9 * (1 + Math.abs(target));
    }

    /**
     * One dynamic-programming pass over the layers, keeping only the non-dominated states that can
     * still reach the floor; returns the best complete configuration found (choice indices) or null.
     */
    private int[] pass(double budget, double target, Relaxation r0) {
        double floor = target - slack(target);
        // Pre-filter with one multiplier λ0 of the tightest surrogate: for a state (MACs c0, params p0,
        // score v0), choice i can only be kept if v0 + h_i + G_{k+1}(λ0) + λ0·rem ≥ floor with
        // h_i = s_i − λ0·w_i — a weaker bound than the full one, so a necessary condition. With each
        // layer's choices sorted by h, the scan of a state stops at the first choice below the
        // threshold instead of trying every rank.
        double lambda0 = r0.hulls.multiplierAt(r0.budget(budget, paramsBudget));
        double[] g0 = r0.suffixDual(t, lambda0);

        Frontier f = new Frontier(1);
        f.add(0, 0, 0, -1, -1);
        List<int[]> parents = new ArrayList<>(), choices = new ArrayList<>();
        boolean twoBudgets = paramsBudget != NO_LIMIT;
        for (int k = 0; k < t.n; k++) {
            double restMacs = t.minMacsSuffix[k + 1], restParams = t.minParamsSuffix[k + 1];
            double[] w = t.macs[k], p = t.params[k], s = t.score[k];
            int kk = s.length;
            double[] h = new double[kk];
            for (int i = 0; i < kk; i++) {
                h[i] = s[i] - lambda0 * r0.weight[k][i];
            }
            int[] byH = sortedDescending(h);
            Frontier next = new Frontier(Math.max(16, f.size * 4));
            for (int st = 0; st < f.size; st++) {
                double c0 = f.macs[st], p0 = f.params[st], v0 = f.score[st];
                double thr = floor - v0 - g0[k + 1] - lambda0 * r0.budget(budget - c0, paramsBudget - p0);
                for (int q = 0; q < kk; q++) {
                    int i = byH[q];
                    if (h[i] < thr) {
                        break;
                    }
                    double c = c0 + w[i];
                    if (c + restMacs > budget) {
                        continue;
                    }
                    double pr = p0 + p[i];
                    if (pr + restParams > paramsBudget) {
                        continue;
                    }
                    double v = v0 + s[i];
                    if (promising(k + 1, budget - c, paramsBudget - pr, floor - v)) {
                        next.add(c, pr, v, st, i);
                    }
                }
            }
            f = twoBudgets ? next.nonDominated2D() : next.nonDominated1D();
            LOG.debug("level {} candidates {} kept {}", k, next.size, f.size);
            if (f.size == 0) {
                return null;
            }
            parents.add(f.parent);
            choices.add(f.choice);
        }
        // the best final state, the cheapest among equals (all are within the budgets)
        int best = 0;
        for (int st = 1; st < f.size; st++) {
            if (f.score[st] > f.score[best] || (f.score[st] == f.score[best] && f.macs[st] < f.macs[best])) {
                best = st;
            }
        }
        return trace(best, parents, choices);
    }

    /**
     * MACs alone, and with a params budget also params alone and MACs + θ·params for θ around the
     * ratio of the two budgets (the best surrogate multiplier is unknown; any one is valid).
     */
    private List<Relaxation> relaxations(double macsBudget) {
        List<Relaxation> r = new ArrayList<>();
        r.add(new Relaxation(t, 1, 0));
        if (paramsBudget != NO_LIMIT) {
            r.add(new Relaxation(t, 0, 1));
            double scale = paramsBudget > 0 && Double.isFinite(macsBudget) ? macsBudget / paramsBudget : 1;
            for (int e = -4; e <= 4; e++) {
                r.add(new Relaxation(t, 1, scale * Math.pow(2, e)));
            }
        }
        return r;
    }

    /**
     * Can layers k.. add at least {@code need} within the remaining MACs and params? The surrogates
     * are tried in turn until one rules it out; the one that did moves to the front, since it is
     * likely to rule out the next state too.
     */
    private boolean promising(int k, double macsLeft, double paramsLeft, double need) {
        for (int q = 0; q < relaxations.size(); q++) {
            Relaxation r = relaxations.get(q);
            if (r.upper(k, macsLeft, paramsLeft) < need) {
                if (q > 0) {
                    relaxations.add(0, relaxations.remove(q));
                }
                return false;
            }
        }
        return true;
    }

    /** Indices of the values, largest value first (ties: lower index first). */
    private static int[] sortedDescending(double[] values) {
        return java.util.stream.IntStream.range(0, values.length)
                .boxed()
                .sorted((a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /**
     * Greedy LP rounding (hull segments steepest first, as far as both budgets allow) plus
     * single-layer improvement: a feasible configuration as choice indices. The budgets must admit
     * the lowest ranks.
     */
    int[] greedy(HullSegments macsHulls, double budget) {
        int[] idx = new int[t.n];
        double macs = t.minMacsSuffix[0], params = t.minParamsSuffix[0];
        boolean[] blocked = new boolean[t.n];
        for (int sgm = 0; sgm < macsHulls.size(); sgm++) {
            int l = macsHulls.layer[sgm];
            if (blocked[l] || idx[l] != macsHulls.from[sgm]) {
                continue;
            }
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
                    if (otherMacs + t.macs[l][i] > budget || otherParams + t.params[l][i] > paramsBudget) {
                        break;
                    }
                    if (t.score[l][i] > t.score[l][best]) {
                        best = i;
                    }
                }
                if (best != idx[l]) {
                    macs = otherMacs + t.macs[l][best];
                    params = otherParams + t.params[l][best];
                    idx[l] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        return idx;
    }

    private double scoreOf(int[] idx) {
        double v = 0;
        for (int l = 0; l < t.n; l++) {
            v += t.score[l][idx[l]];
        }
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
            if (raw == Double.NEGATIVE_INFINITY) {
                zeros++;
            }
            score += raw;
        }
        return new KnapsackSolution(budget, ranks, score, macs, params, zeros);
    }
}
