package io.rankforge.search;

/** One rank-selection method: enc-map, enc-model, enc-inf, optimal, the baselines. Stateless and thread-safe. */
public interface RankSelector {
    /** The id used on the command line ({@code --method}) and in results. */
    String id();

    /** Chooses a rank for every compressed layer of the problem within its budget. */
    Selection select(SelectionProblem problem);
}
