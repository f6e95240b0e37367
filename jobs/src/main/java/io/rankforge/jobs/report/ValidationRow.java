package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * How well one metric ranks the sampled configurations of one budget band against ground truth
 * (docs/method.md §8). Correlations are null when the band has too few trials to compute them.
 *
 * @param metric        metric id (e.g. A_p, A_m, A_c)
 * @param band          band label, e.g. "20-30%"
 * @param target        the ground truth correlated against: "accuracy" (no fine-tuning) or "accuracy_finetuned"
 * @param trials        number of trials in the band that the statistics use
 * @param spearman      Spearman ρ, with its bootstrap 95% interval
 * @param kendall       Kendall τ, with its bootstrap 95% interval
 * @param pearson       Pearson r
 * @param regret        best accuracy in the band minus the accuracy of the metric's top pick
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ValidationRow(
        String metric,
        String band,
        String target,
        int trials,
        Double spearman,
        Double spearmanLow,
        Double spearmanHigh,
        Double kendall,
        Double kendallLow,
        Double kendallHigh,
        Double pearson,
        Double regret) {
    public ValidationRow {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(target, "target");
        if (trials < 0) {
            throw new IllegalArgumentException("trials must be >= 0, got " + trials);
        }
    }
}
