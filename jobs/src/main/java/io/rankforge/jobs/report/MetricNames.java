package io.rankforge.jobs.report;

import java.util.Map;

/** How the report names the metrics whose ids the result tables use (docs/method.md §2). */
public final class MetricNames {
    private static final Map<String, String> LABELS = Map.of(
            "pca", "A_p (PCA energy)",
            "measured", "A_m (measured accuracy)",
            "combined", "A_c (combined)",
            "frobenius", "Frobenius energy",
            "nuclear", "nuclear-norm energy");

    private MetricNames() {}

    /** A readable label for a metric id; unknown ids are shown as they are. */
    public static String label(String id) {
        return LABELS.getOrDefault(id, id);
    }
}
