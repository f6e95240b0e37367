package io.rankforge.compress;

import java.nio.file.Path;

/**
 * Where a compression's ranks came from, as its sidecar records it: a selection method at a budget, or a ranks file.
 *
 * @param method        the selection method's id, or {@link #RANKS_FILE}
 * @param metric        the metric the method maximised (null for a ranks file)
 * @param targetFlops   the FLOPs budget, fraction of the compressible layers' MACs (null when none)
 * @param targetParams  the params budget, fraction of the compressible layers' parameters (null when none)
 * @param firstLayer    the first-layer rule (null for a ranks file)
 * @param ranksFile     the ranks file (null for a method)
 * @param searchSeconds time of the selection (profiling excluded), NaN for a ranks file
 */
public record RankOrigin(
        String method,
        String metric,
        Double targetFlops,
        Double targetParams,
        String firstLayer,
        Path ranksFile,
        double searchSeconds) {
    public static final String RANKS_FILE = "ranks-file";

    public RankOrigin {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method must be named");
        }
        if (RANKS_FILE.equals(method) != (ranksFile != null)) {
            throw new IllegalArgumentException("a ranks file goes with method " + RANKS_FILE + " and only with it");
        }
    }

    /** Ranks read from {@code file}. */
    public static RankOrigin ofFile(Path file) {
        return new RankOrigin(RANKS_FILE, null, null, null, null, file, Double.NaN);
    }
}
