package io.rankforge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A rank for each decomposed layer, in network order. Layers absent from it stay uncompressed.
 */
public record RankConfiguration(Map<String, Integer> ranks) {
    public RankConfiguration {
        Objects.requireNonNull(ranks, "ranks");
        LinkedHashMap<String, Integer> copy = new LinkedHashMap<>();
        for (var e : ranks.entrySet()) {
            Objects.requireNonNull(e.getKey(), "layer name");
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException(
                        "rank of layer '" + e.getKey() + "' must be >= 1, got " + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        ranks = Collections.unmodifiableMap(copy);
    }

    /** Ranks in the iteration order of the given (ordered) map. */
    public static RankConfiguration of(Map<String, Integer> ranks) {
        return new RankConfiguration(ranks);
    }

    /** Parallel arrays of layer names and ranks. */
    public static RankConfiguration of(java.util.List<String> layers, int[] ranks) {
        if (layers.size() != ranks.length) {
            throw new IllegalArgumentException("layers and ranks differ in length");
        }
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < ranks.length; i++) {
            m.put(layers.get(i), ranks[i]);
        }
        return new RankConfiguration(m);
    }

    public int rank(String layer) {
        Integer r = ranks.get(layer);
        if (r == null) {
            throw new IllegalArgumentException("configuration has no rank for layer '" + layer + "'");
        }
        return r;
    }

    public boolean contains(String layer) {
        return ranks.containsKey(layer);
    }
}
