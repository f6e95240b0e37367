package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import io.rankforge.search.catalog.RankSelectors;
import java.util.List;

/**
 * The selection study: every method at every budget for every model.
 *
 * @param methods          method ids (e.g. enc-map, enc-inf, optimal, uniform)
 * @param budgets          FLOPs targets as fractions of the compressible layers' MACs, in (0, 1]
 * @param metric           pca, measured or combined
 * @param firstLayer       half, max or search
 * @param minRankFraction  rank floor as a fraction of r_max
 * @param encInfCandidates top candidates ENC-Inf evaluates
 */
public record SelectSettings(
        List<String> methods,
        List<Double> budgets,
        String metric,
        String firstLayer,
        double minRankFraction,
        int encInfCandidates) {
    public SelectSettings {
        methods = List.copyOf(methods);
        budgets = List.copyOf(budgets);
    }

    static SelectSettings from(Settings s) {
        List<String> methods = s.strings("rankforge.select.methods");
        List<String> known = RankSelectors.ids();
        if (methods.isEmpty()) {
            throw s.invalid("rankforge.select.methods", "needs at least one method of " + String.join(", ", known));
        }
        for (String m : methods) {
            if (!known.contains(m)) {
                throw s.invalid(
                        "rankforge.select.methods", "unknown method '" + m + "'; use " + String.join(", ", known));
            }
        }
        if (methods.stream().distinct().count() != methods.size()) {
            throw s.invalid("rankforge.select.methods", "lists a method twice");
        }
        List<Double> budgets = s.numbers("rankforge.select.budgets", 0, 1);
        if (budgets.isEmpty()) {
            throw s.invalid("rankforge.select.budgets", "needs at least one FLOPs fraction in (0, 1], e.g. [0.5]");
        }
        for (double b : budgets) {
            if (!(b > 0)) {
                throw s.invalid("rankforge.select.budgets", "budgets must be in (0, 1], got " + b);
            }
        }
        return new SelectSettings(
                methods,
                budgets,
                s.oneOf("rankforge.select.metric", "pca", "measured", "combined"),
                s.oneOf("rankforge.select.first-layer", "half", "max", "search"),
                s.positive("rankforge.select.min-rank-fraction", 1),
                s.integer("rankforge.select.enc-inf-candidates", 1, 100_000));
    }

    /** Whether the chosen metric needs the measured sensitivity (the sensitivity job must run first). */
    public boolean needsSensitivity() {
        return !metric.equals("pca");
    }
}
