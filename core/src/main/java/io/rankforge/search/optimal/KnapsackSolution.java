package io.rankforge.search.optimal;

/**
 * An optimal choice of one rank per layer.
 *
 * @param budget   the MACs budget it was solved for
 * @param ranks    the chosen rank of each layer, in the order of the layers given
 * @param score    Σ score (the log of the metric product; -Infinity when some chosen term is 0)
 * @param cost     Σ costPerRank · rank
 * @param params   Σ paramsPerRank · rank
 * @param zeroTerms how many layers contribute a metric of 0 (score -Infinity); the solver minimises
 *                  this first, so it is 0 whenever any feasible configuration has a positive metric
 */
public record KnapsackSolution(double budget, int[] ranks, double score, double cost, double params, int zeroTerms) {
    public KnapsackSolution {
        ranks = ranks.clone();
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }

    /** The metric product exp(score). */
    public double metric() {
        return Math.exp(score);
    }
}
