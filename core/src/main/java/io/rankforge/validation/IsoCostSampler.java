package io.rankforge.validation;

import io.rankforge.search.SelectionProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws integer rank configurations r, lo[j] ≤ r[j] ≤ hi[j], whose linear cost C(r) = Σ_j c[j]·r[j]
 * lies in a cost window [costLow, costHigh], as close to uniformly over that set as a cheap sampler
 * gets. The validation study compares metrics on configurations of (nearly) equal cost, so a sample
 * must spread over the whole iso-cost section of the rank box rather than cluster around one
 * allocation.
 *
 * <p>Algorithm. Layers with lo == hi are fixed and never move; the others ("free") are mapped to
 * u[j] = (r[j] − lo[j]) / (hi[j] − lo[j]) ∈ [0, 1], which keeps the uniform distribution uniform and
 * makes the box a unit cube (layers' rank ranges differ by orders of magnitude, which would slow the
 * chain down badly in raw ranks). On the continuous relaxation, the polytope P = {u ∈ [0, 1]^m :
 * costLow ≤ C(u) ≤ costHigh}, a hit-and-run chain alternates two moves, each of which leaves the
 * uniform distribution on P invariant:
 * <ol>
 *   <li>an iso-cost move: a direction d is a standard Gaussian vector projected onto the hyperplane
 *       ∇C·d = 0, so the cost stays where it is; the chain jumps to a uniform point of the chord of
 *       the unit cube through u along d;</li>
 *   <li>a cost move: along ∇C, a new cost level is drawn uniformly in the window (in the part of it
 *       the cube allows on that line), which is a uniform point of P's chord in that direction.</li>
 * </ol>
 * The chain starts at lo + t·(hi − lo), t chosen so that the cost is the window's midpoint (clamped
 * to the box), runs {@value #BURN_IN_PER_LAYER}·m steps of burn-in and keeps one state every
 * {@value #THIN_PER_LAYER}·m steps (m = number of free layers). A kept state becomes ranks by
 * randomised rounding (⌊x⌋, plus one with probability x − ⌊x⌋, which keeps every rank's expected value
 * equal to x) and is then repaired into the window: while its cost is above costHigh, a random free
 * layer above lo loses one rank, preferring layers whose decrement does not take the cost below
 * costLow; while below costLow, symmetrically. A draw that is not repaired within a bounded number of
 * steps is dropped; too many dropped draws fail with an {@link IllegalStateException} (the window is
 * too narrow for the rank grid). Repeated configurations are dropped too, and the sample stops short
 * of n when duplicates keep coming (a space smaller than n), so it never loops forever.
 *
 * <p>The repair usually moves a draw by a few ranks, and the sample's marginals match those of the
 * uniform distribution on P, computed exactly, to within sampling noise (see IsoCostSamplerTest).
 *
 * <p>Random numbers come only from a {@link SplittableRandom} seeded by the caller, Gaussians by
 * Marsaglia's polar method with {@link StrictMath} (the JDK's own nextGaussian may change between
 * releases), so the sample is a function of the inputs, n and the seed. Instances are immutable; the
 * returned arrays are new and the caller's.
 */
public final class IsoCostSampler {
    /** Burn-in steps per free layer. */
    public static final int BURN_IN_PER_LAYER = 200;
    /** Steps between kept states, per free layer. */
    public static final int THIN_PER_LAYER = 40;

    private final double[] costPerRank;
    private final int[] lo;
    private final int[] hi;
    private final double costLow;
    private final double costHigh;
    /** Indices of the free layers (lo &lt; hi). */
    private final int[] free;
    /** ∂C/∂u of each free layer: c[j]·(hi[j] − lo[j]). */
    private final double[] gradient;
    /** 1 / gradient, so that a step divides nothing. */
    private final double[] inverseGradient;

    private final double gradientNormSq;
    private final double reachLow;
    private final double reachHigh;

    /**
     * @param costPerRank c[j] &gt; 0, the cost of one rank of layer j (e.g. its MACs per rank)
     * @param lo lowest rank of each layer, ≥ 0
     * @param hi highest rank of each layer, ≥ lo (lo == hi fixes the layer)
     * @param costLow lower end of the cost window
     * @param costHigh upper end of the cost window, above costLow
     * @throws IllegalArgumentException naming the parameter at fault, or when the window does not meet
     *     the reachable cost range [C(lo), C(hi)]
     */
    public IsoCostSampler(double[] costPerRank, int[] lo, int[] hi, double costLow, double costHigh) {
        if (costPerRank == null || lo == null || hi == null) {
            throw new IllegalArgumentException("costPerRank, lo and hi must not be null");
        }
        int m = costPerRank.length;
        if (m == 0) {
            throw new IllegalArgumentException("costPerRank is empty: no layer to sample");
        }
        if (lo.length != m || hi.length != m) {
            throw new IllegalArgumentException(
                    "costPerRank, lo and hi differ in length: " + m + ", " + lo.length + ", " + hi.length);
        }
        for (int j = 0; j < m; j++) {
            if (!(costPerRank[j] > 0) || !Double.isFinite(costPerRank[j])) {
                throw new IllegalArgumentException(
                        "costPerRank[" + j + "] must be positive and finite, got " + costPerRank[j]);
            }
            if (lo[j] < 0) {
                throw new IllegalArgumentException("lo[" + j + "] must be at least 0, got " + lo[j]);
            }
            if (hi[j] < lo[j]) {
                throw new IllegalArgumentException("hi[" + j + "] = " + hi[j] + " is below lo[" + j + "] = " + lo[j]);
            }
        }
        if (!Double.isFinite(costLow) || !Double.isFinite(costHigh)) {
            throw new IllegalArgumentException(
                    "cost window [" + costLow + ", " + costHigh + "] must have finite ends (costLow, costHigh)");
        }
        if (!(costLow < costHigh)) {
            throw new IllegalArgumentException(
                    "cost window [" + costLow + ", " + costHigh + "] is empty: costLow must be below costHigh");
        }
        this.costPerRank = costPerRank.clone();
        this.lo = lo.clone();
        this.hi = hi.clone();
        this.costLow = costLow;
        this.costHigh = costHigh;
        this.reachLow = cost(this.lo);
        this.reachHigh = cost(this.hi);
        if (costHigh < reachLow || costLow > reachHigh) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "cost window [%.6g, %.6g] does not meet the reachable cost range [%.6g, %.6g] (every layer at "
                            + "lo, every layer at hi)",
                    costLow,
                    costHigh,
                    reachLow,
                    reachHigh));
        }
        int count = 0;
        for (int j = 0; j < m; j++) {
            if (lo[j] < hi[j]) {
                count++;
            }
        }
        free = new int[count];
        gradient = new double[count];
        inverseGradient = new double[count];
        double normSq = 0;
        int k = 0;
        for (int j = 0; j < m; j++) {
            if (lo[j] < hi[j]) {
                free[k] = j;
                gradient[k] = costPerRank[j] * (hi[j] - lo[j]);
                inverseGradient[k] = 1 / gradient[k];
                normSq += gradient[k] * gradient[k];
                k++;
            }
        }
        gradientNormSq = normSq;
    }

    /**
     * The sampler of a problem's compressed layers at cost fraction target: costs are the layers' MACs
     * per rank, the box the problem's [lo, hi] (a layer fixed by the first-layer rule stays fixed), and
     * the window [(target − width)·C_orig, target·C_orig], C_orig being the compressed layers' MACs
     * before compression.
     *
     * @throws IllegalArgumentException when width is not positive, or the window misses the reachable
     *     costs (the message names target, window and reachable range as fractions of C_orig)
     */
    public static IsoCostSampler of(SelectionProblem p, double target, double width) {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite, got " + target);
        }
        if (!(width > 0) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("width must be positive and finite, got " + width);
        }
        int m = p.size();
        double[] c = new double[m];
        for (int j = 0; j < m; j++) {
            c[j] = p.macsPerRank(j);
        }
        double base = p.baseMacs();
        double low = (target - width) * base;
        double high = target * base;
        double reachLow = p.macs(p.loRanks());
        double reachHigh = p.macs(p.hiRanks());
        // checked here too so that the message can speak of the target
        if (high < reachLow || low > reachHigh) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "target %s with width %s: the cost window [%.4f, %.4f] of the compressed layers' MACs does "
                            + "not meet the reachable range [%.4f, %.4f] (every layer at its lowest, highest rank)",
                    target,
                    width,
                    target - width,
                    target,
                    reachLow / base,
                    reachHigh / base));
        }
        return new IsoCostSampler(c, p.loRanks(), p.hiRanks(), low, high);
    }

    /**
     * Up to n distinct configurations, each within the box and with cost in [costLow, costHigh];
     * deterministic for (inputs, n, seed). Fewer than n only when duplicates keep coming, i.e. the
     * window holds few configurations.
     *
     * @throws IllegalStateException when too many rounded draws cannot be repaired into the window
     */
    public List<int[]> sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be at least 0, got " + n);
        }
        if (n == 0) {
            return List.of();
        }
        if (free.length == 0) {
            // the window meets [C(lo), C(hi)] = {C(lo)}: lo is the one configuration
            return List.of(lo.clone());
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] u = start();
        int m = free.length;
        double[] direction = new double[m];
        for (int s = 0; s < BURN_IN_PER_LAYER * m; s++) {
            step(u, direction, random);
        }
        int maxFailed = 1000 + 10 * n;
        int maxDuplicates = 100 + 10 * n;
        int failed = 0;
        int duplicates = 0;
        Set<Key> seen = new HashSet<>();
        List<int[]> out = new ArrayList<>(n);
        while (out.size() < n) {
            for (int s = 0; s < THIN_PER_LAYER * m; s++) {
                step(u, direction, random);
            }
            int[] r = roundAndRepair(u, random);
            if (r == null) {
                if (++failed > maxFailed) {
                    throw new IllegalStateException(String.format(
                            Locale.ROOT,
                            "%d rounded draws could not be repaired into the cost window [%.6g, %.6g] (%d "
                                    + "configurations found): the window is too narrow for the rank grid",
                            failed,
                            costLow,
                            costHigh,
                            out.size()));
                }
                continue;
            }
            if (seen.add(new Key(r))) {
                out.add(r);
            } else if (++duplicates > maxDuplicates) {
                break;
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** C(r) = Σ_j c[j]·r[j], summed in layer order (as {@link SelectionProblem#macs} does). */
    public double cost(int[] ranks) {
        if (ranks.length != lo.length) {
            throw new IllegalArgumentException(
                    "configuration has " + ranks.length + " ranks, the sampler " + lo.length + " layers");
        }
        double s = 0;
        for (int j = 0; j < ranks.length; j++) {
            s += costPerRank[j] * ranks[j];
        }
        return s;
    }

    public double costLow() {
        return costLow;
    }

    public double costHigh() {
        return costHigh;
    }

    /** C(lo), the lowest cost the box allows. */
    public double reachLow() {
        return reachLow;
    }

    /** C(hi), the highest cost the box allows. */
    public double reachHigh() {
        return reachHigh;
    }

    public int[] lo() {
        return lo.clone();
    }

    public int[] hi() {
        return hi.clone();
    }

    /** Number of layers, fixed ones included. */
    public int size() {
        return lo.length;
    }

    /** Number of free layers (lo &lt; hi). */
    public int freeLayers() {
        return free.length;
    }

    /** The chain's start in u coordinates: every free layer at the same t, cost at the window's midpoint. */
    double[] start() {
        double mid = (costLow + costHigh) / 2;
        double t = reachHigh > reachLow ? (mid - reachLow) / (reachHigh - reachLow) : 0;
        double[] u = new double[free.length];
        Arrays.fill(u, Math.max(0, Math.min(1, t)));
        return u;
    }

    /** One iso-cost move followed by one cost move; d is scratch space. */
    private void step(double[] u, double[] d, SplittableRandom random) {
        int m = u.length;
        gaussians(d, random);
        double dotG = 0;
        for (int k = 0; k < m; k++) {
            dotG += d[k] * gradient[k];
        }
        double scale = dotG / gradientNormSq;
        double norm = 0;
        for (int k = 0; k < m; k++) {
            d[k] -= scale * gradient[k];
            norm += d[k] * d[k];
        }
        // with one free layer the iso-cost section is a point: only the cost move remains
        if (norm > 1e-24) {
            double sMin = Double.NEGATIVE_INFINITY;
            double sMax = Double.POSITIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                if (d[k] != 0) {
                    double inv = 1 / d[k];
                    double toLow = -u[k] * inv;
                    double toHigh = (1 - u[k]) * inv;
                    sMin = Math.max(sMin, Math.min(toLow, toHigh));
                    sMax = Math.min(sMax, Math.max(toLow, toHigh));
                }
            }
            if (sMax > sMin) {
                double s = sMin + random.nextDouble() * (sMax - sMin);
                for (int k = 0; k < m; k++) {
                    u[k] = clamp01(u[k] + s * d[k]);
                }
            }
        }
        // cost move: u + t·gradient changes the cost by t·|gradient|²
        double tMin = Double.NEGATIVE_INFINITY;
        double tMax = Double.POSITIVE_INFINITY;
        double current = reachLow;
        for (int k = 0; k < m; k++) {
            tMin = Math.max(tMin, -u[k] * inverseGradient[k]);
            tMax = Math.min(tMax, (1 - u[k]) * inverseGradient[k]);
            current += gradient[k] * u[k];
        }
        double levelLow = Math.max(costLow, current + tMin * gradientNormSq);
        double levelHigh = Math.min(costHigh, current + tMax * gradientNormSq);
        if (levelHigh > levelLow) {
            double level = levelLow + random.nextDouble() * (levelHigh - levelLow);
            double t = (level - current) / gradientNormSq;
            for (int k = 0; k < m; k++) {
                u[k] = clamp01(u[k] + t * gradient[k]);
            }
        }
    }

    /** Randomised rounding of the state, then repair into the window; null when the repair gives up. */
    private int[] roundAndRepair(double[] u, SplittableRandom random) {
        int[] r = lo.clone();
        for (int k = 0; k < free.length; k++) {
            int j = free[k];
            double x = lo[j] + u[k] * (hi[j] - lo[j]);
            double f = Math.floor(x);
            int v = (int) f + (random.nextDouble() < x - f ? 1 : 0);
            r[j] = Math.max(lo[j], Math.min(hi[j], v));
        }
        int[] candidates = new int[free.length];
        int[] preferred = new int[free.length];
        int maxSteps = 10 * free.length + 10;
        for (int steps = 0; ; steps++) {
            double c = cost(r);
            boolean above = c > costHigh;
            if (!above && c >= costLow) {
                return r;
            }
            if (steps == maxSteps) {
                return null;
            }
            int nc = 0;
            int np = 0;
            for (int j : free) {
                boolean movable = above ? r[j] > lo[j] : r[j] < hi[j];
                if (movable) {
                    candidates[nc++] = j;
                    double after = above ? c - costPerRank[j] : c + costPerRank[j];
                    if (above ? after >= costLow : after <= costHigh) {
                        preferred[np++] = j;
                    }
                }
            }
            if (nc == 0) {
                return null;
            }
            int j = np > 0 ? preferred[random.nextInt(np)] : candidates[random.nextInt(nc)];
            r[j] += above ? -1 : 1;
        }
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /**
     * Fills d with standard Gaussians by Marsaglia's polar method (both of each pair; no trigonometry,
     * the bulk of a step's time otherwise), from uniforms and StrictMath only, for reproducibility.
     */
    private static void gaussians(double[] d, SplittableRandom random) {
        for (int k = 0; k < d.length; k += 2) {
            double a;
            double b;
            double s;
            do {
                a = 2 * random.nextDouble() - 1;
                b = 2 * random.nextDouble() - 1;
                s = a * a + b * b;
            } while (s >= 1 || s == 0);
            double f = Math.sqrt(-2 * StrictMath.log(s) / s);
            d[k] = a * f;
            if (k + 1 < d.length) {
                d[k + 1] = b * f;
            }
        }
    }

    /** An int[] with value equality, for removing duplicate configurations. */
    private record Key(int[] ranks) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(ranks, k.ranks);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ranks);
        }

        @Override
        public String toString() {
            return Arrays.toString(ranks);
        }
    }
}
