package io.rankforge.jobs.sweep;

import io.rankforge.MetricKind;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.enc.EncMap;
import java.util.SplittableRandom;

/**
 * Random configurations at a FLOPs target, inside ENC's bounded space (docs/method.md §4): per layer, ranks
 * between ENC-Map's at target − δ and at target + δ. A draw gives every layer a random share w_l of
 * its range; one scalar t, found by bisection, scales all shares until the cost meets the target from
 * below: r_l = lower_l + round(t · w_l · (upper_l − lower_l)), capped at upper_l. Where the bounds
 * cannot reach the target, the whole rank range [floor, r_max] is used instead.
 */
public final class TrialSampler {
    /** δ of the bounded space: 10% of the original cost, ENC's value. */
    public static final double DELTA = 0.10;

    private TrialSampler() {}

    /** One configuration at {@code p}'s FLOPs target (ranks in p's layer order). */
    public static int[] sample(SelectionProblem p, MetricKind boundsMetric, SplittableRandom random) {
        double target = p.targetFlops().orElseThrow();
        int m = p.size();
        int[] lower = p.loRanks(), upper = p.hiRanks();
        int[] up = EncMap.atFraction(p, boundsMetric, Math.min(1.0, target + DELTA), false)
                .ranks();
        int[] lo = target - DELTA > 0
                ? EncMap.atFraction(p, boundsMetric, target - DELTA, false).ranks()
                : p.loRanks();
        int[] bl = new int[m], bu = new int[m];
        for (int j = 0; j < m; j++) {
            bu[j] = Math.max(p.lo(j), Math.min(p.hi(j), Math.max(up[j], lo[j])));
            bl[j] = Math.max(p.lo(j), Math.min(bu[j], Math.min(up[j], lo[j])));
        }
        double budget = p.flopsBudget();
        if (p.macs(bl) <= budget && p.macs(bu) >= budget) {
            lower = bl;
            upper = bu;
        }
        double[] w = new double[m];
        double minW = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            w[j] = 0.05 + 0.95 * random.nextDouble();
            minW = Math.min(minW, w[j]);
        }
        double tLo = 0, tHi = 1 / minW;
        if (p.macs(at(lower, upper, w, tHi)) <= budget) {
            return at(lower, upper, w, tHi);
        }
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (tLo + tHi);
            if (p.macs(at(lower, upper, w, mid)) <= budget) {
                tLo = mid;
            } else {
                tHi = mid;
            }
        }
        return at(lower, upper, w, tLo);
    }

    static int[] at(int[] lower, int[] upper, double[] w, double t) {
        int[] r = new int[lower.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = (int) Math.min(upper[j], lower[j] + Math.round(t * w[j] * (upper[j] - lower[j])));
        }
        return r;
    }
}
