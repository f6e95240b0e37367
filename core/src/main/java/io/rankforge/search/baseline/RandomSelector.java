package io.rankforge.search.baseline;

import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;
import io.rankforge.search.enc.EncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code random} (docs/method.md §7): a configuration drawn uniformly at random, reproducibly from the
 * problem's seed, among those of the bounded space whose cost lies in the band
 * [budget·(1 − tolerance), budget] — at the budget from below.
 *
 * <p>The bounded space is ENC's (docs/method.md §4: per layer between ENC-Map's ranks at target − δ and
 * target + δ, for the problem's metric), or with {@code random.space=full} every layer's whole range
 * [rank floor, r_max]. The draw is a Gibbs sampler: each step picks two layers and redraws their
 * pair of ranks uniformly among all pairs that keep the configuration in the band (and within a
 * params budget, if any). The uniform distribution on the band is its stationary distribution; after
 * {@code random.steps} steps (default 200 per layer) from a start filled up at random, the draw is
 * close to uniform.
 *
 * <p>The band is on MACs when the problem has a FLOPs target, on parameters otherwise. Options:
 * {@code random.space} (enc|full), {@code random.delta} (0.10), {@code random.tolerance} (0.005),
 * {@code random.steps}.
 */
public final class RandomSelector implements RankSelector {
    public static final String ID = "random";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        String space = p.options().getOrDefault("random.space", "enc").trim().toLowerCase(java.util.Locale.ROOT);
        if (!space.equals("enc") && !space.equals("full")) {
            throw new SelectionProblemException(
                    "random.space", "option random.space must be enc or full, got '" + space + "'");
        }
        double delta = p.option("random.delta", 0.10);
        double tolerance = p.option("random.tolerance", 0.005);
        if (!(delta > 0 && delta < 1)) {
            throw new SelectionProblemException("random.delta", "option random.delta must be in (0, 1), got " + delta);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new SelectionProblemException(
                    "random.tolerance", "option random.tolerance must be in (0, 1), got " + tolerance);
        }
        int m = p.size();
        int steps = p.option("random.steps", 200 * m);
        if (steps < 0) {
            throw new SelectionProblemException("random.steps", "option random.steps must be >= 0, got " + steps);
        }

        boolean ofParams = p.targetFlops().isEmpty();
        double target =
                ofParams ? p.targetParams().getAsDouble() : p.targetFlops().getAsDouble();
        long t0 = System.nanoTime();
        int[] lower = p.loRanks(), upper = p.hiRanks();
        if (space.equals("enc")) {
            encBounds(p, ofParams, target, delta, lower, upper);
        }
        Chain chain = new Chain(p, ofParams, lower, upper, tolerance, new SplittableRandom(p.seed()));
        boolean reached = chain.fillUp();
        if (reached) {
            chain.run(steps);
        }
        int[] ranks = chain.ranks.clone();
        if (!BudgetFit.fits(p, ranks)) {
            throw new IllegalStateException("random configuration over budget: " + java.util.Arrays.toString(ranks));
        }
        double secs = Selection.secondsSince(t0);
        SelectionDiagnostics.Random d = new SelectionDiagnostics.Random(
                space,
                p.seed(),
                reached ? steps : 0,
                reached,
                chain.bandLo / (ofParams ? p.baseParams() : p.baseMacs()));
        return Selection.of(p, ID, ranks, secs, d);
    }

    /** ENC's bounds: ENC-Map at target ± δ, bracketing ENC-Map at the target, within each layer's range. */
    private static void encBounds(
            SelectionProblem p, boolean ofParams, double target, double delta, int[] lower, int[] upper) {
        int[] at = EncMap.atFraction(p, p.metric(), target, ofParams).ranks();
        int[] up = EncMap.atFraction(p, p.metric(), Math.min(1, target + delta), ofParams)
                .ranks();
        int[] dn = EncMap.atFraction(p, p.metric(), Math.max(1e-9, target - delta), ofParams)
                .ranks();
        for (int j = 0; j < lower.length; j++) {
            int hi = Math.max(Math.max(up[j], dn[j]), at[j]), lo = Math.min(Math.min(up[j], dn[j]), at[j]);
            upper[j] = Math.max(p.lo(j), Math.min(p.hi(j), hi));
            lower[j] = Math.max(p.lo(j), Math.min(upper[j], lo));
        }
        // a lower corner over budget would leave nothing to draw from: fall back to the rank floors
        double lowCost = 0;
        for (int j = 0; j < lower.length; j++) {
            lowCost += (ofParams ? p.paramsPerRank(j) : p.macsPerRank(j)) * lower[j];
        }
        if (lowCost > (ofParams ? p.paramsBudget() : p.flopsBudget())) {
            for (int j = 0; j < lower.length; j++) {
                lower[j] = p.lo(j);
            }
        }
    }

    /** The sampler's state: ranks, their primary and secondary costs, the band and the limits. */
    private static final class Chain {
        final int[] ranks, lower, upper;
        final double[] w, q; // primary and secondary cost per rank
        final double bandLo, bandHi, qLimit;
        final List<Integer> movable = new ArrayList<>();
        final SplittableRandom rnd;
        double cost, qCost;

        Chain(SelectionProblem p, boolean ofParams, int[] lower, int[] upper, double tolerance, SplittableRandom rnd) {
            int m = p.size();
            this.lower = lower;
            this.upper = upper;
            this.rnd = rnd;
            ranks = lower.clone();
            w = new double[m];
            q = new double[m];
            for (int j = 0; j < m; j++) {
                w[j] = ofParams ? p.paramsPerRank(j) : p.macsPerRank(j);
                q[j] = ofParams ? p.macsPerRank(j) : p.paramsPerRank(j);
                if (upper[j] > lower[j]) {
                    movable.add(j);
                }
            }
            bandHi = ofParams ? p.paramsBudget() : p.flopsBudget();
            bandLo = bandHi * (1 - tolerance);
            qLimit = ofParams ? p.flopsBudget() : p.paramsBudget();
            for (int j = 0; j < m; j++) {
                cost += w[j] * ranks[j];
                qCost += q[j] * ranks[j];
            }
        }

        /** Raises random layers by random amounts until the cost is in the band; false if it cannot get there. */
        boolean fillUp() {
            while (cost < bandLo) {
                List<Integer> room = new ArrayList<>();
                for (int j : movable) {
                    if (ranks[j] < upper[j] && cost + w[j] <= bandHi && qCost + q[j] <= qLimit) {
                        room.add(j);
                    }
                }
                if (room.isEmpty()) {
                    return false;
                }
                int j = room.get(rnd.nextInt(room.size()));
                long most = Math.min(upper[j] - ranks[j], (long) Math.floor((bandHi - cost) / w[j]));
                if (Double.isFinite(qLimit)) {
                    most = Math.min(most, (long) Math.floor((qLimit - qCost) / q[j]));
                }
                // with few layers, raise at most to the band's upper edge; else a random share of the room
                long up = Math.max(1, 1 + rnd.nextLong(Math.max(1, most)));
                while (up > 1 && (cost + w[j] * up > bandHi || qCost + q[j] * up > qLimit)) {
                    up--;
                }
                set(j, ranks[j] + (int) up);
            }
            return cost <= bandHi;
        }

        void run(int steps) {
            if (movable.isEmpty()) {
                return;
            }
            for (int s = 0; s < steps; s++) {
                if (movable.size() == 1) {
                    redrawOne(movable.get(0));
                } else {
                    int a = movable.get(rnd.nextInt(movable.size()));
                    int b;
                    do {
                        b = movable.get(rnd.nextInt(movable.size()));
                    } while (b == a);
                    redrawPair(a, b);
                }
            }
        }

        /** Sets a rank and recomputes the costs in layer order (the arithmetic of the problem's own sums). */
        private void set(int j, int r) {
            ranks[j] = r;
            double c = 0, qc = 0;
            for (int k = 0; k < ranks.length; k++) {
                c += w[k] * ranks[k];
                qc += q[k] * ranks[k];
            }
            cost = c;
            qCost = qc;
        }

        /** Moves to the new ranks of a and b unless rounding put the exact total outside the band. */
        private void move(int a, int x, int b, int y) {
            int oldA = ranks[a], oldB = b >= 0 ? ranks[b] : 0;
            ranks[a] = x;
            if (b >= 0) {
                ranks[b] = y;
            }
            set(a, x);
            if (!inBand(cost, qCost)) {
                ranks[a] = oldA;
                if (b >= 0) {
                    ranks[b] = oldB;
                }
                set(a, oldA);
            }
        }

        private boolean inBand(double c, double qc) {
            return c >= bandLo && c <= bandHi && qc <= qLimit;
        }

        /** Layer a uniformly among its ranks that keep the state in the band. */
        private void redrawOne(int a) {
            double rest = cost - w[a] * ranks[a], qRest = qCost - q[a] * ranks[a];
            List<Integer> ok = new ArrayList<>();
            for (int x = lower[a]; x <= upper[a]; x++) {
                if (inBand(rest + w[a] * x, qRest + q[a] * x)) {
                    ok.add(x);
                }
            }
            if (!ok.isEmpty()) {
                move(a, ok.get(rnd.nextInt(ok.size())), -1, 0);
            }
        }

        /** Layers a and b uniformly among the pairs of ranks that keep the state in the band. */
        private void redrawPair(int a, int b) {
            double rest = cost - w[a] * ranks[a] - w[b] * ranks[b];
            double qRest = qCost - q[a] * ranks[a] - q[b] * ranks[b];
            int na = upper[a] - lower[a] + 1;
            int[] yLo = new int[na], yHi = new int[na];
            long total = 0;
            for (int i = 0; i < na; i++) {
                int x = lower[a] + i;
                double c = rest + w[a] * x, qc = qRest + q[a] * x;
                int lo = (int) Math.max(lower[b], Math.ceil((bandLo - c) / w[b]));
                double hiD = Math.min(upper[b], Math.floor((bandHi - c) / w[b]));
                if (Double.isFinite(qLimit)) {
                    hiD = Math.min(hiD, Math.floor((qLimit - qc) / q[b]));
                }
                int hi = (int) Math.max(lower[b] - 1, hiD);
                // the divisions may be off by one in floating point: settle the ends exactly
                while (lo <= hi && !inBand(c + w[b] * lo, qc + q[b] * lo)) {
                    lo++;
                }
                while (hi >= lo && !inBand(c + w[b] * hi, qc + q[b] * hi)) {
                    hi--;
                }
                yLo[i] = lo;
                yHi[i] = hi;
                if (hi >= lo) {
                    total += hi - lo + 1;
                }
            }
            if (total == 0) {
                return; // cannot happen while the state is in the band
            }
            long pick = rnd.nextLong(total);
            for (int i = 0; i < na; i++) {
                if (yHi[i] < yLo[i]) {
                    continue;
                }
                long len = yHi[i] - yLo[i] + 1;
                if (pick < len) {
                    move(a, lower[a] + i, b, yLo[i] + (int) pick);
                    return;
                }
                pick -= len;
            }
        }
    }
}
