package io.rankforge.search.optimal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact solver against exhaustive enumeration on small random instances. */
class MultipleChoiceKnapsackTest {

    /** The best of all configurations: fewest zero terms, then highest score, then lowest MACs. */
    record Brute(int[] ranks, double score, int zeros, double macs) {}

    static Brute bruteForce(List<KnapsackLayer> layers, double budget, double paramsBudget) {
        int n = layers.size();
        int[] idx = new int[n];
        Brute best = null;
        while (true) {
            double macs = 0, params = 0, score = 0, finite = 0;
            int zeros = 0;
            for (int l = 0; l < n; l++) {
                KnapsackLayer k = layers.get(l);
                int r = k.minRank() + idx[l];
                macs += k.costPerRank() * r;
                params += k.paramsPerRank() * r;
                double s = k.scoreAt(r);
                score += s;
                if (s == Double.NEGATIVE_INFINITY) {
                    zeros++;
                } else {
                    finite += s;
                }
            }
            if (macs <= budget && params <= paramsBudget) {
                boolean better = best == null
                        || zeros < best.zeros
                        || (zeros == best.zeros
                                && zeros == 0
                                && (score > best.score || (score == best.score && macs < best.macs)));
                if (better) {
                    int[] ranks = new int[n];
                    for (int l = 0; l < n; l++) {
                        ranks[l] = layers.get(l).minRank() + idx[l];
                    }
                    best = new Brute(ranks, score, zeros, macs);
                }
            }
            int l = 0;
            while (l < n && ++idx[l] == layers.get(l).choices()) {
                idx[l++] = 0;
            }
            if (l == n) {
                return best;
            }
        }
    }

    /** Random layers; with {@code dyadic} the scores are multiples of 1/8 so that sums are exact and ties real. */
    static List<KnapsackLayer> randomLayers(Random rnd, boolean dyadic, double zeroChance) {
        int n = 3 + rnd.nextInt(3);
        List<KnapsackLayer> layers = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            int k = 1 + rnd.nextInt(12);
            int minRank = 1 + rnd.nextInt(5);
            double[] s = new double[k];
            double level = dyadic ? -rnd.nextInt(16) / 8.0 : -2 * rnd.nextDouble();
            for (int i = 0; i < k; i++) {
                // mostly increasing with the rank, sometimes not (measured curves are noisy)
                double step = dyadic
                        ? rnd.nextInt(4) / 8.0 - (rnd.nextInt(5) == 0 ? 0.25 : 0)
                        : rnd.nextDouble() * 0.3 - 0.05;
                level = Math.min(0, level + step);
                s[i] = rnd.nextDouble() < zeroChance * (k - i) / k ? Double.NEGATIVE_INFINITY : level;
            }
            double cost = 1 + rnd.nextInt(rnd.nextBoolean() ? 20 : 1000);
            double params = 1 + rnd.nextInt(50);
            layers.add(new KnapsackLayer(minRank, s, cost, params));
        }
        return layers;
    }

    static double[] range(List<KnapsackLayer> layers, boolean params) {
        double lo = 0, hi = 0;
        for (KnapsackLayer k : layers) {
            double c = params ? k.paramsPerRank() : k.costPerRank();
            lo += c * k.minRank();
            hi += c * k.maxRank();
        }
        return new double[] {lo, hi};
    }

    static void assertSame(
            Brute expected,
            Optional<KnapsackSolution> actual,
            List<KnapsackLayer> layers,
            double budget,
            double paramsBudget,
            boolean exactTies,
            String where) {
        if (expected == null) {
            assertTrue(actual.isEmpty(), where + ": expected infeasible");
            return;
        }
        assertTrue(actual.isPresent(), where + ": expected a solution");
        KnapsackSolution s = actual.get();
        assertTrue(s.cost() <= budget && s.params() <= paramsBudget, where + ": over budget");
        // the solution's reported totals are those of its ranks
        double macs = 0, params = 0, score = 0;
        for (int l = 0; l < layers.size(); l++) {
            macs += layers.get(l).costPerRank() * s.ranks()[l];
            params += layers.get(l).paramsPerRank() * s.ranks()[l];
            score += layers.get(l).scoreAt(s.ranks()[l]);
        }
        assertEquals(macs, s.cost(), 0, where);
        assertEquals(params, s.params(), 0, where);
        assertEquals(score, s.score(), 0, where);
        assertEquals(expected.zeros(), s.zeroTerms(), where + ": zero terms");
        if (expected.zeros() == 0) {
            assertEquals(expected.score(), s.score(), 1e-9, where + ": score");
            if (exactTies) {
                assertEquals(expected.score(), s.score(), 0, where + ": score");
                assertEquals(expected.macs(), s.cost(), 0, where + ": cheapest among ties");
            }
        }
    }

    @Test
    void equalsBruteForceUnderMacsBudget() {
        for (int seed = 0; seed < 400; seed++) {
            Random rnd = new Random(seed);
            boolean dyadic = seed % 2 == 0;
            List<KnapsackLayer> layers = randomLayers(rnd, dyadic, seed % 3 == 0 ? 0.3 : 0);
            double[] r = range(layers, false);
            for (int q = 0; q < 4; q++) {
                double budget = Math.floor(r[0] - 2 + (r[1] - r[0] + 4) * rnd.nextDouble());
                assertSame(
                        bruteForce(layers, budget, Double.POSITIVE_INFINITY),
                        MultipleChoiceKnapsack.maximise(layers, budget),
                        layers,
                        budget,
                        Double.POSITIVE_INFINITY,
                        dyadic,
                        "seed " + seed + " budget " + budget);
            }
        }
    }

    @Test
    void equalsBruteForceUnderMacsAndParamsBudgets() {
        for (int seed = 1000; seed < 1400; seed++) {
            Random rnd = new Random(seed);
            boolean dyadic = seed % 2 == 0;
            List<KnapsackLayer> layers = randomLayers(rnd, dyadic, seed % 3 == 0 ? 0.3 : 0);
            double[] r = range(layers, false), p = range(layers, true);
            for (int q = 0; q < 4; q++) {
                double budget = Math.floor(r[0] + (r[1] - r[0]) * rnd.nextDouble());
                double paramsBudget = Math.floor(p[0] - 1 + (p[1] - p[0] + 2) * rnd.nextDouble());
                assertSame(
                        bruteForce(layers, budget, paramsBudget),
                        MultipleChoiceKnapsack.maximise(layers, budget, paramsBudget),
                        layers,
                        budget,
                        paramsBudget,
                        dyadic,
                        "seed " + seed + " budget " + budget + " params " + paramsBudget);
            }
        }
    }

    @Test
    void frontIsExactAndMonotone() {
        for (int seed = 2000; seed < 2150; seed++) {
            Random rnd = new Random(seed);
            List<KnapsackLayer> layers = randomLayers(rnd, seed % 2 == 0, seed % 3 == 0 ? 0.3 : 0);
            double[] r = range(layers, false);
            double paramsBudget = seed % 4 == 0 ? range(layers, true)[1] * 0.7 : Double.POSITIVE_INFINITY;
            double[] budgets = new double[25];
            for (int j = 0; j < budgets.length; j++) {
                budgets[j] = Math.floor(r[0] * 0.9 + (r[1] - r[0] * 0.9) * (j + 1) / budgets.length);
            }
            List<Optional<KnapsackSolution>> front = MultipleChoiceKnapsack.front(layers, budgets, paramsBudget);
            KnapsackSolution previous = null;
            for (int j = 0; j < budgets.length; j++) {
                assertSame(
                        bruteForce(layers, budgets[j], paramsBudget),
                        front.get(j),
                        layers,
                        budgets[j],
                        paramsBudget,
                        seed % 2 == 0,
                        "seed " + seed + " front budget " + budgets[j]);
                if (front.get(j).isEmpty()) {
                    assertTrue(previous == null, "a larger budget cannot lose feasibility");
                    continue;
                }
                KnapsackSolution s = front.get(j).get();
                if (previous != null) {
                    assertTrue(s.zeroTerms() <= previous.zeroTerms(), "zero terms never rise with the budget");
                    if (s.zeroTerms() == 0 && previous.zeroTerms() == 0) {
                        assertTrue(s.score() >= previous.score(), "score is monotone in the budget");
                        assertTrue(s.cost() >= previous.cost(), "cost is monotone in the budget");
                    }
                }
                previous = s;
            }
        }
    }

    /** Independent check at a size brute force cannot reach: DP over every integer total cost. */
    static double gridDp(List<KnapsackLayer> layers, int budget) {
        double[] f = new double[budget + 1];
        java.util.Arrays.fill(f, Double.NEGATIVE_INFINITY);
        f[0] = 0;
        for (KnapsackLayer k : layers) {
            double[] g = new double[budget + 1];
            java.util.Arrays.fill(g, Double.NEGATIVE_INFINITY);
            for (int c = 0; c <= budget; c++) {
                if (f[c] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int r = k.minRank(); r <= k.maxRank(); r++) {
                    int c2 = c + (int) k.costPerRank() * r;
                    if (c2 > budget) {
                        break;
                    }
                    g[c2] = Math.max(g[c2], f[c] + k.scoreAt(r));
                }
            }
            f = g;
        }
        return java.util.Arrays.stream(f).max().getAsDouble();
    }

    @Test
    void equalsIntegerGridDpOnMediumInstances() {
        for (int seed = 3000; seed < 3012; seed++) {
            Random rnd = new Random(seed);
            int n = 15 + rnd.nextInt(11);
            List<KnapsackLayer> layers = new ArrayList<>();
            for (int l = 0; l < n; l++) {
                int k = 20 + rnd.nextInt(41);
                double[] s = new double[k];
                double level = -1 - rnd.nextDouble();
                for (int i = 0; i < k; i++) {
                    s[i] = level = Math.min(0, level + rnd.nextDouble() * 0.12 - 0.02);
                }
                layers.add(new KnapsackLayer(1 + rnd.nextInt(4), s, 1 + rnd.nextInt(40), 1 + rnd.nextInt(30)));
            }
            double[] r = range(layers, false);
            int budget = (int) (r[0] + (r[1] - r[0]) * (0.1 + 0.6 * rnd.nextDouble()));
            KnapsackSolution sol =
                    MultipleChoiceKnapsack.maximise(layers, budget).orElseThrow();
            assertEquals(gridDp(layers, budget), sol.score(), 1e-9, "seed " + seed);
            assertTrue(sol.cost() <= budget);
        }
    }

    @Test
    void zeroTermsAreAvoidedWhenPossibleAndMinimisedOtherwise() {
        // layer 0: metric 0 below rank 3; layer 1: metric 0 everywhere
        KnapsackLayer a = KnapsackLayer.ofMetric(1, new double[] {0, 0, 0.5, 0.9}, 10, 1);
        KnapsackLayer b = KnapsackLayer.ofMetric(1, new double[] {0.2, 0.9, 1.0}, 1, 1);
        KnapsackSolution s = MultipleChoiceKnapsack.maximise(List.of(a, b), 32).orElseThrow();
        assertArrayEquals(new int[] {3, 2}, s.ranks());
        assertEquals(0, s.zeroTerms());
        assertEquals(Math.log(0.5 * 0.9), s.score(), 1e-12);
        KnapsackSolution tight =
                MultipleChoiceKnapsack.maximise(List.of(a, b), 21).orElseThrow();
        assertEquals(1, tight.zeroTerms(), "only rank ≤ 2 of layer 0 fits, whose metric is 0");
        assertEquals(Double.NEGATIVE_INFINITY, tight.score());
        assertEquals(0, tight.metric());
        assertFalse(MultipleChoiceKnapsack.maximise(List.of(a, b), 10).isPresent(), "below the lowest ranks' cost");
    }
}
