package io.rankforge.jobs.report;

import java.util.List;
import java.util.Objects;

/**
 * Everything the report shows about one study of one model: read back from the jobs' result tables.
 *
 * @param model      the compressed network
 * @param layers     its compressible layers with r_max, in network order
 * @param strata     the sweep's iso-cost strata
 * @param picks      one row per (method, budget)
 * @param validation one row per (metric, stratum, ground truth), over the random samples only
 * @param comparisons paired comparisons of metrics per stratum and ground truth
 * @param trials     every successful trial of the sweep (sampled configurations and method picks)
 * @param sweep      what the sweep did in this run
 * @param fineTuning a one-line description of the fixed fine-tuning (epochs, learning rate, images), or "" when off
 * @param confidence the level of every interval, e.g. 0.95 (rankforge.validate.confidence)
 * @param calibrationImages training images that re-estimated each compressed network's batch-norm statistics
 *                   before it was measured (0 = the trained statistics were kept)
 */
public record StudyResults(
        ModelInfo model,
        List<LayerBound> layers,
        List<Stratum> strata,
        List<MethodPick> picks,
        List<ValidationRow> validation,
        List<ComparisonRow> comparisons,
        double confidence,
        List<TrialPoint> trials,
        SweepCounts sweep,
        String fineTuning,
        int calibrationImages) {
    public StudyResults {
        Objects.requireNonNull(model, "model");
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        strata = List.copyOf(Objects.requireNonNull(strata, "strata"));
        picks = List.copyOf(Objects.requireNonNull(picks, "picks"));
        validation = List.copyOf(Objects.requireNonNull(validation, "validation"));
        comparisons = List.copyOf(Objects.requireNonNull(comparisons, "comparisons"));
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        trials = List.copyOf(Objects.requireNonNull(trials, "trials"));
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(fineTuning, "fineTuning");
        if (calibrationImages < 0) {
            throw new IllegalArgumentException("calibrationImages must be >= 0, got " + calibrationImages);
        }
    }

    /** Method ids in the order they first appear. */
    public List<String> methods() {
        return picks.stream().map(MethodPick::method).distinct().toList();
    }

    /** Budgets in ascending order. */
    public List<Double> budgets() {
        return picks.stream().map(MethodPick::budget).distinct().sorted().toList();
    }

    /** The interval level as a label, e.g. "95%". */
    public String level() {
        return Format.pct(confidence);
    }

    /** Metric ids in the order they first appear among the validation rows. */
    public List<String> metrics() {
        return validation.stream().map(ValidationRow::metric).distinct().toList();
    }
}
