package io.rankforge.search.optimal;

/**
 * A surrogate of the budget constraints: a·MACs + b·params ≤ a·B + b·P with a, b ≥ 0. Every
 * configuration within both budgets satisfies it, so the best score under it alone (bounded by
 * Lagrangian duality, {@link LagrangianBound}) bounds the best score under both. With a params budget
 * the solver keeps several such surrogates and uses the tightest; (1, 0) is the MACs budget alone.
 */
final class Relaxation {
    final double a, b;
    final double[][] weight;
    final HullSegments hulls;
    private LagrangianBound bound;

    Relaxation(ScoreTable t, double a, double b) {
        this.a = a;
        this.b = b;
        weight = new double[t.n][];
        for (int l = 0; l < t.n; l++) {
            weight[l] = new double[t.choices(l)];
            for (int i = 0; i < weight[l].length; i++) {
                weight[l][i] = a * t.macs[l][i] + (b == 0 ? 0 : b * t.params[l][i]);
            }
        }
        hulls = new HullSegments(t, weight);
    }

    /** The surrogate budget for MACs budget m and params budget p. */
    double budget(double m, double p) {
        return a * m + (b == 0 ? 0 : b * p);
    }

    /** Builds the bound, tightest at the given surrogate budgets. */
    void prepare(ScoreTable t, double[] budgets) {
        // the root multiplier of each budget and a fine fan around it: deeper states, with less
        // budget and fewer layers left, have their best multipliers nearby
        double[] fan = {0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1, 1.005, 1.01, 1.02, 1.05, 1.1, 1.25};
        double[] lambdas = new double[budgets.length * fan.length];
        for (int j = 0; j < budgets.length; j++) {
            double lam = hulls.multiplierAt(budgets[j]);
            for (int f = 0; f < fan.length; f++) {
                lambdas[j * fan.length + f] = lam * fan[f];
            }
        }
        bound = new LagrangianBound(t, weight, hulls, lambdas);
    }

    /** G_k(λ) = Σ_{l≥k} max_r (s_l(r) − λ·w_l(r)) for k = 0..n (G_n = 0). */
    double[] suffixDual(ScoreTable t, double lambda) {
        double[] g = new double[t.n + 1];
        for (int l = t.n - 1; l >= 0; l--) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < weight[l].length; i++) {
                best = Math.max(best, t.score[l][i] - lambda * weight[l][i]);
            }
            g[l] = g[l + 1] + best;
        }
        return g;
    }

    /** Upper bound on what layers k.. can add within MACs budget m and params budget p. */
    double upper(int k, double m, double p) {
        return bound.upper(k, budget(m, p));
    }
}
