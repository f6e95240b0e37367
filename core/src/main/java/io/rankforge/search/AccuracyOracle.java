package io.rankforge.search;

/**
 * Top-1 accuracy, in [0, 1], of the network compressed to a configuration without fine-tuning,
 * measured on the held-out split (never the test set). ENC-Inf ranks its candidates with it; the
 * sensitivity measurement calls it with one layer truncated at a time. Implementations may be slow
 * (a real inference pass) and may run distributed; each call is independent of the others.
 */
@FunctionalInterface
public interface AccuracyOracle {
    double accuracy(RankConfiguration configuration);
}
