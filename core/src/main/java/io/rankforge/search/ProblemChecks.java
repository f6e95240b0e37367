package io.rankforge.search;

import io.rankforge.MetricKind;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks a {@link SelectionProblem} passes at construction, each failing with a message that names the field:
 * a {@link SelectionProblemException} for a malformed setting, an {@link InfeasibleBudgetException} for a budget
 * below the cheapest configuration.
 */
final class ProblemChecks {
    private ProblemChecks() {}

    /** At least one budget, each a fraction in (0, 1]. */
    static void budgets(OptionalDouble targetFlops, OptionalDouble targetParams) {
        if (targetFlops.isEmpty() && targetParams.isEmpty()) {
            throw new SelectionProblemException(
                    "targetFlops", "no budget given: set targetFlops and/or targetParams (fractions in (0, 1])");
        }
        targetFlops.ifPresent(f -> fraction("targetFlops", f));
        targetParams.ifPresent(p -> fraction("targetParams", p));
    }

    static void minRankFraction(double f) {
        if (!(f > 0 && f <= 1)) {
            throw new SelectionProblemException("minRankFraction", "minRankFraction must be in (0, 1], got " + f);
        }
    }

    /** The exclude pattern compiled, or null when none is given. */
    static Pattern excludePattern(String regex) {
        try {
            return regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new SelectionProblemException(
                    "excludePattern",
                    "excludePattern '" + regex + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    /** The profile's layers whose names the pattern does not (fully) match, in network order; never empty. */
    static List<LayerProfile> compressed(NetworkProfile profile, Pattern exclude) {
        List<LayerProfile> kept = new ArrayList<>();
        for (LayerProfile l : profile.layers()) {
            if (exclude == null || !exclude.matcher(l.name()).matches()) {
                kept.add(l);
            }
        }
        if (kept.isEmpty()) {
            throw new SelectionProblemException(
                    "excludePattern",
                    "excludePattern '" + exclude.pattern() + "' excludes every layer of " + profile.source()
                            + ": nothing left to compress");
        }
        return List.copyOf(kept);
    }

    /** Every compressed layer has what the metric is computed from (singular values, measured sensitivity). */
    static void metricAvailable(MetricKind metric, List<LayerProfile> compressed, String source) {
        for (LayerProfile l : compressed) {
            if (metric.needsSpectrum() && !l.hasSpectrum()) {
                throw new SelectionProblemException(
                        "metric",
                        "metric " + metric.id() + " needs singular values, but layer " + l.name() + " of " + source
                                + " has none: use the measured metric, or a profile with spectra "
                                + "(eigenvalue.conf, or a profile computed from the model)");
            }
            if (metric.needsSensitivity() && !l.hasSensitivity()) {
                throw new SelectionProblemException(
                        "metric",
                        "metric " + metric.id() + " needs measured sensitivity, but layer " + l.name() + " of " + source
                                + " has none: use the pca metric, or a profile with measured sensitivity");
            }
        }
    }

    /** Every budget given is at or above the cheapest configuration (every layer at its lowest rank). */
    static void reachable(SelectionProblem p) {
        if (p.targetFlops().isPresent() && p.minMacs() > p.flopsBudget() * (1 + 1e-12)) {
            throw new InfeasibleBudgetException(String.format(
                    Locale.ROOT,
                    "targetFlops %s is below the cheapest configuration (%.4f of the compressed layers' "
                            + "MACs, every layer at its rank floor): raise targetFlops or lower minRankFraction",
                    p.targetFlops().getAsDouble(),
                    p.minMacs() / p.baseMacs()));
        }
        if (p.targetParams().isPresent() && p.minParams() > p.paramsBudget() * (1 + 1e-12)) {
            throw new InfeasibleBudgetException(String.format(
                    Locale.ROOT,
                    "targetParams %s is below the cheapest configuration (%.4f of the compressed layers' "
                            + "parameters, every layer at its rank floor): raise targetParams or lower "
                            + "minRankFraction",
                    p.targetParams().getAsDouble(),
                    p.minParams() / p.baseParams()));
        }
    }

    private static void fraction(String field, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new SelectionProblemException(
                    field, field + " must be a fraction in (0, 1] of the compressible layers' original cost, got " + v);
        }
    }
}
