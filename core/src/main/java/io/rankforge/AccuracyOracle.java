package io.rankforge;

import java.util.ArrayList;
import java.util.List;

/**
 * Top-1 accuracy, in [0, 1], of the network compressed to a configuration without fine-tuning,
 * measured on the held-out split (never the test set). ENC-Inf ranks its candidates with it; the
 * sensitivity measurement calls it with one layer truncated at a time. Implementations may be slow
 * (a real inference pass); each call is independent of the others.
 */
@FunctionalInterface
public interface AccuracyOracle {
    double accuracy(RankConfiguration configuration);

    /**
     * The accuracies of several configurations, in order. Sequential by default; a distributed
     * implementation (one Spark task per configuration) overrides it.
     */
    default List<Double> accuracies(List<RankConfiguration> configurations) {
        List<Double> out = new ArrayList<>(configurations.size());
        for (RankConfiguration c : configurations) {
            out.add(accuracy(c));
        }
        return out;
    }
}
