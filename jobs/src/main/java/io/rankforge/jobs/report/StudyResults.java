package io.rankforge.jobs.report;

import java.util.List;
import java.util.Objects;

/**
 * Everything the report shows about one study of one model: read back from the jobs' result tables.
 *
 * @param model      the compressed network
 * @param layers     its compressible layers with r_max, in network order
 * @param bands      the sweep's budget bands
 * @param picks      one row per (method, budget)
 * @param validation one row per (metric, band, ground truth)
 * @param trials     every successful trial of the sweep (sampled configurations and method picks)
 * @param sweep      what the sweep did in this run
 * @param fineTuning a one-line description of the fixed fine-tuning (epochs, learning rate, images), or "" when off
 * @param calibrationImages training images that re-estimated each compressed network's batch-norm statistics
 *                   before it was measured (0 = the trained statistics were kept)
 */
public record StudyResults(
        ModelInfo model,
        List<LayerBound> layers,
        List<Band> bands,
        List<MethodPick> picks,
        List<ValidationRow> validation,
        List<TrialPoint> trials,
        SweepCounts sweep,
        String fineTuning,
        int calibrationImages) {
    public StudyResults {
        Objects.requireNonNull(model, "model");
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        bands = List.copyOf(Objects.requireNonNull(bands, "bands"));
        picks = List.copyOf(Objects.requireNonNull(picks, "picks"));
        validation = List.copyOf(Objects.requireNonNull(validation, "validation"));
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

    /** Metric ids in the order they first appear among the validation rows. */
    public List<String> metrics() {
        return validation.stream().map(ValidationRow::metric).distinct().toList();
    }
}
