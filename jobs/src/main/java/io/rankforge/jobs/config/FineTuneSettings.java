package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.List;

/**
 * The fixed short fine-tuning that gives the second ground truth: identical for every trial.
 *
 * @param enabled      whether trials are fine-tuned at all
 * @param epochs       passes over the images
 * @param learningRate Adam learning rate
 * @param batchSize    mini-batch size
 * @param images       training images used (the first n of the train split)
 * @param sampleStrata targets of the strata whose every sampled configuration is fine-tuned too (the methods'
 *                     picks always are when fine-tuning is enabled); a fine-tuned ground truth can only be
 *                     correlated in these strata
 */
public record FineTuneSettings(
        boolean enabled, int epochs, double learningRate, int batchSize, int images, List<Double> sampleStrata)
        implements java.io.Serializable {
    public static final FineTuneSettings NONE = new FineTuneSettings(false, 1, 1e-3, 64, 1, List.of());

    public FineTuneSettings {
        sampleStrata = List.copyOf(sampleStrata);
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        if (images < 1) {
            throw new IllegalArgumentException("images must be >= 1");
        }
    }

    static FineTuneSettings from(Settings s) {
        String p = "rankforge.sweep.fine-tune.";
        return new FineTuneSettings(
                s.flag(p + "enabled"),
                s.integer(p + "epochs", 1, 1000),
                s.positive(p + "learning-rate", 10),
                s.integer(p + "batch-size", 1, 100_000),
                s.integer(p + "images", 1, 60_000),
                s.numbers(p + "sample-strata", 0, 1));
    }

    /** Whether the samples of the stratum with this target are fine-tuned. */
    public boolean finetunesSamplesAt(double target) {
        return enabled && sampleStrata.stream().anyMatch(t -> Math.abs(t - target) < 1e-12);
    }

    /** The part of a trial's identity that fine-tuning contributes ("none" when a trial is not fine-tuned). */
    public String identity() {
        return enabled ? "ft:e" + epochs + ":lr" + learningRate + ":b" + batchSize + ":n" + images : "none";
    }
}
