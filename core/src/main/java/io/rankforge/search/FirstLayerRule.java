package io.rankforge.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens to the network's first layer (docs/method.md §3). The paper keeps VGG-16's first layer at
 * round(r_max/2) ({@link #HALF}) and ResNet-56's at r_max ({@link #MAX}); {@link #SEARCH} treats it
 * like every other layer. A fixed first layer's cost is taken off the budget before the search.
 */
public enum FirstLayerRule {
    HALF,
    MAX,
    SEARCH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The fixed rank of a first layer with this r_max, or -1 for {@link #SEARCH}. */
    public int fixedRank(int rMax) {
        return switch (this) {
            case HALF -> (int) Math.max(1, Math.round(rMax / 2.0));
            case MAX -> rMax;
            case SEARCH -> -1;
        };
    }

    public static FirstLayerRule parse(String s) {
        if (s != null) {
            for (FirstLayerRule k : values()) {
                if (k.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
        }
        throw new SelectionProblemException(
                "firstLayer",
                "unknown first-layer rule '" + s + "': use one of "
                        + Arrays.stream(values()).map(FirstLayerRule::id).collect(Collectors.joining(", ")));
    }
}
