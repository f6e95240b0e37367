package io.rankforge;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The network metric a search maximises (docs/method.md §2).
 *
 * <ul>
 *   <li>{@code pca}: A_p(R) = Π_l y_p,l(r_l), from the singular values;</li>
 *   <li>{@code measured}: A_m(R) = Π_l y_m,l(r_l), from the measured sensitivity samples;</li>
 *   <li>{@code combined}: A_c(R) = A_p(R)·C(R)/C_orig + A_m(R), needs both;</li>
 *   <li>{@code frobenius}: Π_l e_F,l(r_l), the retained squared singular-value energy per layer;</li>
 *   <li>{@code nuclear}: Π_l e_*,l(r_l), the retained singular-value sum per layer.</li>
 * </ul>
 * The per-layer definitions are in the metric package's {@code LayerMetrics}.
 */
public enum MetricKind {
    PCA,
    MEASURED,
    COMBINED,
    FROBENIUS,
    NUCLEAR;

    /** The lower-case name used on the command line and in JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the metrics that are a product of per-layer terms (exactly maximisable by a knapsack). */
    public boolean isProduct() {
        return this != COMBINED;
    }

    /** True when the metric needs singular values. */
    public boolean needsSpectrum() {
        return this != MEASURED;
    }

    /** True when the metric needs measured sensitivity samples. */
    public boolean needsSensitivity() {
        return this == MEASURED || this == COMBINED;
    }

    /** Parses an id; an unknown one is a user error listing the known ids. */
    public static MetricKind parse(String s) {
        if (s != null) {
            for (MetricKind k : values()) {
                if (k.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
        }
        throw new UserInputException("unknown metric '" + s + "': use one of "
                + Arrays.stream(values()).map(MetricKind::id).collect(Collectors.joining(", ")));
    }
}
