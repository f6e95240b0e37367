package io.rankforge.search.optimal;

import java.util.List;

/**
 * The knapsack instance in flat arrays, with every {@code -Infinity} score replaced by a finite
 * penalty so that the solver can add, compare and bound scores as ordinary numbers.
 *
 * <p>Why the penalty is exact: let S be the sum over layers of (largest − smallest finite score) and
 * give a zero-metric choice of layer l the score min_l − (S + 1). Then a configuration with z zero
 * terms scores at least Σ min_l − z(S+1), one with z+1 or more at most Σ max_l − (z+1)(S+1), which is
 * lower by at least 1. So maximising the penalised sum first minimises the number of zero terms
 * (the true product is 0 for every configuration with one) and otherwise maximises the true sum.
 */
final class ScoreTable {
    final int n;
    final int[] minRank;
    final double[][] score; // penalised, finite
    final double[][] raw; // as given (−∞ for a metric of 0)
    final double[][] macs; // macs[l][i] = costPerRank · (minRank + i)
    final double[][] params; // params[l][i]
    final double[] macsPerRank;
    final double[] paramsPerRank;
    final double[] minMacsSuffix; // Σ_{l≥k} macs[l][0]
    final double[] minParamsSuffix;

    ScoreTable(List<KnapsackLayer> layers) {
        n = layers.size();
        if (n == 0) {
            throw new IllegalArgumentException("at least one layer is needed");
        }
        minRank = new int[n];
        score = new double[n][];
        raw = new double[n][];
        macs = new double[n][];
        params = new double[n][];
        macsPerRank = new double[n];
        paramsPerRank = new double[n];
        double spread = 0;
        double[] minFinite = new double[n];
        for (int l = 0; l < n; l++) {
            KnapsackLayer layer = layers.get(l);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < layer.choices(); i++) {
                double s = layer.scoreAtIndex(i);
                if (s != Double.NEGATIVE_INFINITY) {
                    lo = Math.min(lo, s);
                    hi = Math.max(hi, s);
                }
            }
            minFinite[l] = lo == Double.POSITIVE_INFINITY ? 0 : lo;
            if (hi >= lo) {
                spread += hi - lo;
            }
        }
        for (int l = 0; l < n; l++) {
            KnapsackLayer layer = layers.get(l);
            int k = layer.choices();
            double zero = minFinite[l] - (spread + 1);
            minRank[l] = layer.minRank();
            macsPerRank[l] = layer.costPerRank();
            paramsPerRank[l] = layer.paramsPerRank();
            score[l] = new double[k];
            raw[l] = layer.score();
            macs[l] = new double[k];
            params[l] = new double[k];
            for (int i = 0; i < k; i++) {
                double s = layer.scoreAtIndex(i);
                score[l][i] = s == Double.NEGATIVE_INFINITY ? zero : s;
                macs[l][i] = layer.costPerRank() * (layer.minRank() + i);
                params[l][i] = layer.paramsPerRank() * (layer.minRank() + i);
            }
        }
        minMacsSuffix = new double[n + 1];
        minParamsSuffix = new double[n + 1];
        for (int l = n - 1; l >= 0; l--) {
            minMacsSuffix[l] = minMacsSuffix[l + 1] + macs[l][0];
            minParamsSuffix[l] = minParamsSuffix[l + 1] + params[l][0];
        }
    }

    int choices(int l) {
        return score[l].length;
    }
}
