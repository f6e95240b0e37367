package io.rankforge.jobs.validate;

import io.rankforge.validation.MetricAgreement;
import java.util.List;
import java.util.Objects;

/**
 * How well each metric orders the sampled configurations of one iso-cost stratum against one ground truth.
 *
 * @param model       model name
 * @param modelDigest SHA-256 of the model file
 * @param stratum     stratum label, e.g. "25%"
 * @param target      the stratum's cost target (fraction of the compressible layers' MACs)
 * @param costLow     the lowest cost among the samples used (NaN without samples)
 * @param costHigh    the highest cost among the samples used (NaN without samples)
 * @param groundTruth "accuracy" (no fine-tuning) or "accuracy_finetuned"
 * @param samples     sampled configurations with this ground truth (method picks never count)
 * @param tooFew      fewer samples than rankforge.validate.min-samples: the statistics are NaN
 * @param metrics     one agreement per metric every sample has
 */
public record StratumValidation(
        String model,
        String modelDigest,
        String stratum,
        double target,
        double costLow,
        double costHigh,
        String groundTruth,
        int samples,
        boolean tooFew,
        List<MetricAgreement> metrics) {
    public StratumValidation {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelDigest, "modelDigest");
        Objects.requireNonNull(stratum, "stratum");
        Objects.requireNonNull(groundTruth, "groundTruth");
        metrics = List.copyOf(metrics);
    }
}
