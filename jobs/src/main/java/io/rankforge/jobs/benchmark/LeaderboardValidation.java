package io.rankforge.jobs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validation study's strata as leaderboard rows: per model, iso-cost stratum, ground truth and metric, the
 * Spearman ρ between metric and accuracy over the stratum's random samples with its bootstrap interval. A stratum
 * with too few samples shows no ρ, only the count: a correlation over a handful of points answers nothing.
 */
record LeaderboardValidation(
        String model,
        String stratum,
        String groundTruth,
        String metric,
        int samples,
        boolean tooFew,
        Double spearman,
        Double low,
        Double high) {

    /** The rows of the validate job's {@code strata} array (summary.json's "validation"); none when it is empty. */
    static List<LeaderboardValidation> of(JsonNode strata) {
        List<LeaderboardValidation> out = new ArrayList<>();
        if (strata == null || !strata.isArray()) {
            return out;
        }
        for (JsonNode s : strata) {
            Iterator<Map.Entry<String, JsonNode>> metrics = s.path("metrics").fields();
            while (metrics.hasNext()) {
                Map.Entry<String, JsonNode> m = metrics.next();
                out.add(new LeaderboardValidation(
                        s.path("model").asText(),
                        s.path("stratum").asText(),
                        s.path("ground_truth").asText(),
                        m.getKey(),
                        s.path("samples").asInt(),
                        s.path("too_few").asBoolean(),
                        number(m.getValue().get("spearman")),
                        number(m.getValue().get("spearman_low")),
                        number(m.getValue().get("spearman_high"))));
            }
        }
        return out;
    }

    private static Double number(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.asDouble();
    }

    /** ρ with its interval, "too few (n)" or "—" where none could be computed. */
    String rho() {
        if (tooFew) {
            return "too few (" + samples + ")";
        }
        if (spearman == null) {
            return "—";
        }
        if (low == null || high == null) {
            return String.format(Locale.ROOT, "%.3f", spearman);
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", spearman, low, high);
    }
}
