package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * How well one metric orders the sampled configurations of one iso-cost stratum against one ground truth
 * (docs/method.md §8, docs/spark.md). Statistics are null when the stratum has too few samples ({@code tooFew}) or
 * an interval could not be computed. Intervals are bootstrap intervals at the study's confidence level.
 *
 * @param metric        metric id (pca, measured, combined, frobenius, nuclear)
 * @param stratum       stratum label, e.g. "25%"
 * @param target        the stratum's cost target
 * @param costLow       lowest cost among the samples
 * @param costHigh      highest cost among the samples
 * @param groundTruth   "accuracy" (no fine-tuning) or "accuracy_finetuned"
 * @param samples       sampled configurations the statistics use (method picks never count)
 * @param tooFew        fewer samples than the configured minimum
 * @param concordance   fraction of pairs the metric orders like the ground truth
 * @param topKPrecision share of the ground truth's top configurations among the metric's top ones
 * @param regret        best accuracy in the stratum minus that of the metric's top sample
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ValidationRow(
        String metric,
        String stratum,
        double target,
        Double costLow,
        Double costHigh,
        String groundTruth,
        int samples,
        boolean tooFew,
        Double spearman,
        Double spearmanLow,
        Double spearmanHigh,
        Double kendall,
        Double kendallLow,
        Double kendallHigh,
        Double concordance,
        Double topKPrecision,
        Double regret,
        Double regretLow,
        Double regretHigh) {
    public ValidationRow {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(groundTruth, "groundTruth");
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
    }
}
