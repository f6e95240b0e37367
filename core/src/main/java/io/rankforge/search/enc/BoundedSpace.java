package io.rankforge.search.enc;

import io.rankforge.MetricKind;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * ENC's bounded search space (docs/method.md §4) and the enumeration of its best candidates.
 *
 * <ol>
 *   <li>Bounds: per layer, the upper rank is ENC-Map's at target + δ, the lower ENC-Map's at
 *       target − δ (clamped to the layer's range).</li>
 *   <li>Grid: ranks upper − k·t_l down to the lower bound, the step t_l from
 *       {@link EncModelSettings#density()}.</li>
 *   <li>Groups: consecutive layers with equal cost per rank form a group whose cost depends only on
 *       its rank sum; for every reachable sum a dynamic programme over the members finds the split
 *       with the best metric (exact for a product metric; for combined, the best split under A_m and
 *       the best under A_p are both kept).</li>
 *   <li>Enumeration over groups with the pool pruned after each group to the best partial candidates
 *       per cost bucket, then only complete candidates in the window [target − tolerance, target] of the
 *       original cost are kept (never above the budget)
 *       and ranked by the problem's metric, exactly.</li>
 * </ol>
 * The primary cost is MACs, or parameters when the problem has only a params target; with both
 * targets, the params budget is a further upper limit.
 */
final class BoundedSpace {
    private final SelectionProblem p;
    private final EncModelSettings s;
    private final MetricKind metric;
    private final boolean ofParams;
    private final double target;
    private final int[] upper, lower, step, anchor, atTarget;
    private final List<int[]> groups = new ArrayList<>();
    private final double bandLo, bandHi;
    private long expansions;
    private boolean seedWon;

    private BoundedSpace(SelectionProblem p, EncModelSettings s) {
        this.p = p;
        this.s = s;
        this.metric = p.metric();
        this.ofParams = primaryIsParams(p, metric);
        this.target =
                ofParams ? p.targetParams().getAsDouble() : p.targetFlops().getAsDouble();
        int m = p.size();
        atTarget = EncMap.atFraction(p, metric, target, ofParams).ranks();
        int[] up = EncMap.atFraction(p, metric, target + s.delta(), ofParams).ranks();
        int[] lo = EncMap.atFraction(p, metric, target - s.delta(), ofParams).ranks();
        upper = new int[m];
        lower = new int[m];
        for (int j = 0; j < m; j++) {
            // the bounds always bracket ENC-Map at the target itself (its curves may switch to the
            // extended form between budgets, so the three need not be ordered)
            upper[j] = Math.max(p.lo(j), Math.min(p.hi(j), Math.max(Math.max(up[j], lo[j]), atTarget[j])));
            lower[j] = Math.max(p.lo(j), Math.min(upper[j], Math.min(Math.min(up[j], lo[j]), atTarget[j])));
        }
        step = steps(p, s.density());
        anchor = new int[m];
        for (int j = 0; j < m; j++) {
            anchor[j] = s.anchorAtMap() ? Math.max(lower[j], Math.min(upper[j], atTarget[j])) : upper[j];
        }
        double budget = ofParams ? p.paramsBudget() : p.flopsBudget();
        // the window lies below the budget (as the authors' margin does): a pick never spends more than it
        bandLo = budget - s.tolerance() * baseCost();
        bandHi = budget;
        // groups: runs of consecutive layers with equal cost per rank (a fixed layer stands alone)
        int start = 0;
        for (int j = 1; j <= m; j++) {
            boolean split = j == m
                    || p.isFixed(j)
                    || p.isFixed(j - 1)
                    || Math.abs(perRank(j) - perRank(j - 1)) > 1e-9 * Math.max(perRank(j), perRank(j - 1));
            if (split) {
                int[] g = new int[j - start];
                for (int k = 0; k < g.length; k++) {
                    g[k] = start + k;
                }
                groups.add(g);
                start = j;
            }
        }
    }

    static BoundedSpace of(SelectionProblem p, EncModelSettings s) {
        return new BoundedSpace(p, s);
    }

    /**
     * The cost whose band is searched: params when it is the only target, or when both are given and
     * ENC-Map at the FLOPs target alone would exceed the params budget (params is then the binding one).
     */
    private static boolean primaryIsParams(SelectionProblem p, MetricKind metric) {
        if (p.targetFlops().isEmpty()) {
            return true;
        }
        if (p.targetParams().isEmpty()) {
            return false;
        }
        int[] r = EncMap.atFraction(p, metric, p.targetFlops().getAsDouble(), false)
                .ranks();
        return p.params(r) > p.paramsBudget();
    }

    /** Cost per rank of the other quantity (limited, not banded). */
    private double otherPerRank(int j) {
        return ofParams ? p.macsPerRank(j) : p.paramsPerRank(j);
    }

    private double otherCost(int[] ranks) {
        return ofParams ? p.macs(ranks) : p.params(ranks);
    }

    private double perRank(int j) {
        return ofParams ? p.paramsPerRank(j) : p.macsPerRank(j);
    }

    /**
     * Steps max(round(r_max/100), 1) scaled by the coarsest common factor whose density (mean 1/step) stays ≥ the
     * target.
     */
    static int[] steps(SelectionProblem p, double densityTarget) {
        int m = p.size();
        double[] t0 = new double[m];
        for (int j = 0; j < m; j++) {
            t0[j] = Math.max(Math.round(p.rMax(j) / 100.0), 1);
        }
        double alpha = 1;
        if (density(p, t0, alpha) >= densityTarget) {
            while (alpha < 1e5 && density(p, t0, alpha * 1.01) >= densityTarget) {
                alpha *= 1.01;
            }
        } else {
            while (alpha > 1e-6 && density(p, t0, alpha) < densityTarget) {
                alpha *= 0.99;
            }
        }
        int[] t = new int[m];
        for (int j = 0; j < m; j++) {
            t[j] = (int) Math.max(Math.round(t0[j] * alpha), 1);
        }
        return t;
    }

    private static double density(SelectionProblem p, double[] t0, double alpha) {
        double sum = 0;
        int n = 0;
        for (int j = 0; j < t0.length; j++) {
            if (p.isFixed(j)) {
                continue;
            }
            sum += 1.0 / Math.max(Math.round(t0[j] * alpha), 1);
            n++;
        }
        return n == 0 ? 1 : sum / n;
    }

    /** The grid of ranks of layer j in [lower, upper], through its anchor in steps, descending. */
    int[] grid(int j) {
        int above = (upper[j] - anchor[j]) / step[j], below = (anchor[j] - lower[j]) / step[j];
        int[] g = new int[above + below + 1];
        for (int k = 0; k < g.length; k++) {
            g[k] = anchor[j] + (above - k) * step[j];
        }
        return g;
    }

    /** One way to fill a group: its members' ranks, their primary and other cost ("params" below), and log metrics. */
    private record Option(int[] ranks, double cost, double params, double logM, double logP) {}

    /** For each reachable rank sum, the best split(s) of the group by the metric(s) that matter. */
    private List<Option> groupOptions(int[] members) {
        List<Option> out = new ArrayList<>();
        MetricKind[] kinds = metric == MetricKind.COMBINED
                ? new MetricKind[] {MetricKind.MEASURED, MetricKind.PCA}
                : new MetricKind[] {metric};
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (MetricKind k : kinds) {
            for (int[] split : bestSplits(members, k)) {
                String key = Arrays.toString(split);
                if (seen.put(key, Boolean.TRUE) != null) {
                    continue;
                }
                out.add(option(members, split));
            }
        }
        return out;
    }

    private Option option(int[] members, int[] split) {
        double cost = 0, params = 0, lm = 0, lp = 0;
        for (int k = 0; k < members.length; k++) {
            int j = members[k], r = split[k];
            cost += perRank(j) * r;
            params += otherPerRank(j) * r;
            if (metric == MetricKind.COMBINED) {
                lm += p.tables().layer(j).log(MetricKind.MEASURED, r);
                lp += p.tables().layer(j).log(MetricKind.PCA, r);
            } else {
                lm += p.tables().layer(j).log(metric, r);
            }
        }
        return new Option(split, cost, params, lm, lp);
    }

    /** Knapsack over the group's members: for every rank sum, the split maximising Σ log y (one per reachable sum). */
    private List<int[]> bestSplits(int[] members, MetricKind k) {
        int n = members.length;
        int[][] grids = new int[n][];
        int maxSum = 0;
        for (int i = 0; i < n; i++) {
            grids[i] = grid(members[i]);
            maxSum += grids[i][0];
        }
        double[] best = new double[maxSum + 1];
        Arrays.fill(best, Double.NaN);
        best[0] = 0;
        int[][] choice = new int[n][maxSum + 1];
        for (int i = 0; i < n; i++) {
            double[] next = new double[maxSum + 1];
            Arrays.fill(next, Double.NaN);
            for (int sum = 0; sum <= maxSum; sum++) {
                if (Double.isNaN(best[sum])) {
                    continue;
                }
                for (int c = 0; c < grids[i].length; c++) {
                    int r = grids[i][c];
                    double v = best[sum] + p.tables().layer(members[i]).log(k, r);
                    int t = sum + r;
                    if (Double.isNaN(next[t]) || v > next[t]) {
                        next[t] = v;
                        choice[i][t] = c;
                    }
                }
            }
            best = next;
        }
        List<int[]> splits = new ArrayList<>();
        for (int sum = 0; sum <= maxSum; sum++) {
            if (Double.isNaN(best[sum])) {
                continue;
            }
            int[] split = new int[n];
            int t = sum;
            for (int i = n - 1; i >= 0; i--) {
                split[i] = grids[i][choice[i][t]];
                t -= split[i];
            }
            splits.add(split);
        }
        return splits;
    }

    /** A complete candidate: ranks in the problem's layer order and the problem's metric of them. */
    record Candidate(int[] ranks, double value) {}

    /** The best n candidates of the space within the cost band, best first (fewer when fewer exist). */
    List<Candidate> best(int n) {
        int g = groups.size();
        List<List<Option>> options = new ArrayList<>();
        for (int[] members : groups) {
            options.add(groupOptions(members));
        }
        // cheapest and dearest completion from each group on
        double[] minRest = new double[g + 1], maxRest = new double[g + 1], minRestParams = new double[g + 1];
        for (int i = g - 1; i >= 0; i--) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, lp = Double.POSITIVE_INFINITY;
            for (Option o : options.get(i)) {
                lo = Math.min(lo, o.cost);
                hi = Math.max(hi, o.cost);
                lp = Math.min(lp, o.params);
            }
            minRest[i] = minRest[i + 1] + lo;
            maxRest[i] = maxRest[i + 1] + hi;
            minRestParams[i] = minRestParams[i + 1] + lp;
        }
        // the other quantity's budget, when it has one, is an upper limit
        double paramsLimit = (ofParams ? p.flopsBudget() : p.paramsBudget()) * (1 + 1e-9);
        double fraction = target;

        // pool after each group: parallel arrays, back-pointers to the previous pool
        double[] cost = {0}, params = {0}, lm = {0}, lp = {0};
        List<int[]> parents = new ArrayList<>(), picks = new ArrayList<>();
        int buckets = Math.max(1, s.topK() / s.perBucket());
        PriorityQueue<double[]> finals = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        int keepFinal = Math.max(n, 1);
        for (int gi = 0; gi < g; gi++) {
            List<Option> opts = options.get(gi);
            boolean last = gi == g - 1;
            double[] bucketKey = new double[buckets * s.perBucket()];
            long[] bucketId = new long[buckets * s.perBucket()];
            Arrays.fill(bucketKey, Double.NEGATIVE_INFINITY);
            Arrays.fill(bucketId, -1);
            for (int st = 0; st < cost.length; st++) {
                for (int oi = 0; oi < opts.size(); oi++) {
                    Option o = opts.get(oi);
                    double c = cost[st] + o.cost;
                    if (c + minRest[gi + 1] > bandHi || c + maxRest[gi + 1] < bandLo) {
                        continue;
                    }
                    double pr = params[st] + o.params;
                    if (pr + minRestParams[gi + 1] > paramsLimit) {
                        continue;
                    }
                    expansions++;
                    double m = lm[st] + o.logM, pp = lp[st] + o.logP;
                    if (last) {
                        double value = metric == MetricKind.COMBINED ? Math.exp(pp) * c / baseCost() + Math.exp(m) : m;
                        if (finals.size() < keepFinal) {
                            finals.add(new double[] {value, st, oi});
                        } else if (value > finals.peek()[0]) {
                            finals.poll();
                            finals.add(new double[] {value, st, oi});
                        }
                        continue;
                    }
                    double key = metric == MetricKind.COMBINED ? Math.exp(pp) * fraction + Math.exp(m) : m;
                    int b = (int) Math.min(buckets - 1, Math.max(0, c / bandHi * buckets));
                    int base = b * s.perBucket(), worst = base;
                    for (int q = base + 1; q < base + s.perBucket(); q++) {
                        if (bucketKey[q] < bucketKey[worst]) {
                            worst = q;
                        }
                    }
                    if (key > bucketKey[worst] || bucketId[worst] < 0) {
                        bucketKey[worst] = key;
                        bucketId[worst] = ((long) st << 32) | oi;
                    }
                }
            }
            if (last) {
                break;
            }
            int kept = 0;
            for (long id : bucketId) {
                if (id >= 0) {
                    kept++;
                }
            }
            double[] nc = new double[kept], np = new double[kept], nm = new double[kept], npp = new double[kept];
            int[] par = new int[kept], pick = new int[kept];
            int k = 0;
            for (long id : bucketId) {
                if (id < 0) {
                    continue;
                }
                int st = (int) (id >>> 32), oi = (int) (id & 0xffffffffL);
                Option o = opts.get(oi);
                nc[k] = cost[st] + o.cost;
                np[k] = params[st] + o.params;
                nm[k] = lm[st] + o.logM;
                npp[k] = lp[st] + o.logP;
                par[k] = st;
                pick[k] = oi;
                k++;
            }
            cost = nc;
            params = np;
            lm = nm;
            lp = npp;
            parents.add(par);
            picks.add(pick);
            if (kept == 0) {
                break;
            }
        }
        List<Candidate> out = new ArrayList<>();
        List<double[]> fs = new ArrayList<>(finals);
        for (double[] f : fs) {
            int[] ranks = new int[p.size()];
            int st = (int) f[1];
            int oi = (int) f[2];
            fill(ranks, g - 1, options.get(g - 1).get(oi));
            for (int gi = g - 2; gi >= 0; gi--) {
                int pick = picks.get(gi)[st];
                fill(ranks, gi, options.get(gi).get(pick));
                st = parents.get(gi)[st];
            }
            out.add(new Candidate(ranks, p.metricValue(ranks)));
        }
        // ENC-Map's own configuration competes too when it is in the band and not already there
        double seedCost = ofParams ? p.params(atTarget) : p.macs(atTarget);
        boolean seedIn = seedCost >= bandLo && seedCost <= bandHi && otherCost(atTarget) <= paramsLimit;
        if (seedIn && out.stream().noneMatch(c -> Arrays.equals(c.ranks(), atTarget))) {
            out.add(new Candidate(atTarget.clone(), p.metricValue(atTarget)));
        }
        out.sort((a, b) -> Double.compare(b.value(), a.value()));
        seedWon = seedIn && !out.isEmpty() && Arrays.equals(out.get(0).ranks(), atTarget);
        return out.size() > n ? out.subList(0, n) : out;
    }

    private double baseCost() {
        return ofParams ? p.baseParams() : p.baseMacs();
    }

    private void fill(int[] ranks, int group, Option o) {
        int[] members = groups.get(group);
        for (int k = 0; k < members.length; k++) {
            ranks[members[k]] = o.ranks()[k];
        }
    }

    /** Facts about the space for a selection's diagnostics, searched at grid density {@code densityUsed}. */
    SelectionDiagnostics.BoundedSpace describe(double densityUsed) {
        double space = 1;
        for (int j = 0; j < p.size(); j++) {
            space *= grid(j).length;
        }
        return new SelectionDiagnostics.BoundedSpace(
                upper,
                lower,
                step,
                groups.size(),
                space,
                expansions,
                s.anchorAtMap() ? "map" : "upper",
                seedWon,
                new double[] {bandLo / baseCost(), bandHi / baseCost()},
                densityUsed);
    }
}
