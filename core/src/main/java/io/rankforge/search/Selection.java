package io.rankforge.search;

import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one rank selection.
 *
 * @param method            the selector's id
 * @param metric            the metric the problem asked for
 * @param configuration     a rank for every compressed layer, in network order
 * @param flopsRatio        MACs of the compressed layers at these ranks over their original MACs
 * @param paramsRatio       likewise for parameters (rank-dependent weights)
 * @param networkFlopsRatio MACs of the whole network over its original MACs, NaN when unknown
 * @param metrics           pca, measured and combined values of the configuration, those computable,
 *                          and the problem's metric if it is another one (frobenius, nuclear)
 * @param searchSeconds     wall time of the search alone (no profile reading, no table building)
 * @param diagnostics       method-specific facts (levels, bounds, candidates counted, ...), typed per method
 */
public record Selection(
        String method,
        MetricKind metric,
        RankConfiguration configuration,
        double flopsRatio,
        double paramsRatio,
        double networkFlopsRatio,
        Map<String, Double> metrics,
        double searchSeconds,
        SelectionDiagnostics diagnostics) {
    public Selection {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(configuration, "configuration");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metrics, "metrics")));
        diagnostics = diagnostics == null ? new SelectionDiagnostics.None() : diagnostics;
        if (!(searchSeconds >= 0)) {
            throw new IllegalArgumentException("searchSeconds must be >= 0, got " + searchSeconds);
        }
    }

    /** Builds a selection from ranks in the problem's layer order, computing costs and metric values. */
    public static Selection of(
            SelectionProblem problem,
            String method,
            int[] ranks,
            double searchSeconds,
            SelectionDiagnostics diagnostics) {
        Map<String, Double> metrics = problem.tables().standardValues(ranks);
        metrics.putIfAbsent(problem.metric().id(), problem.metricValue(ranks)); // frobenius, nuclear
        return new Selection(
                method,
                problem.metric(),
                problem.configuration(ranks),
                problem.flopsRatio(ranks),
                problem.paramsRatio(ranks),
                problem.networkFlopsRatio(ranks),
                metrics,
                searchSeconds,
                diagnostics);
    }

    /** Seconds elapsed since a {@link System#nanoTime()} reading. */
    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The value of the problem's metric, or NaN when it is not among {@link #metrics}. */
    public double metricValue() {
        return metrics.getOrDefault(metric.id(), Double.NaN);
    }
}
