package io.rankforge.jobs.config;

import io.rankforge.config.Settings;

/**
 * The fixed short fine-tuning that gives the second ground truth: identical for every trial.
 *
 * @param enabled      whether trials are fine-tuned at all
 * @param epochs       passes over the images
 * @param learningRate Adam learning rate
 * @param batchSize    mini-batch size
 * @param images       training images used (the first n of the train split)
 * @param picksOnly    fine-tune only the methods' picks (true) or every trial
 */
public record FineTuneSettings(
        boolean enabled, int epochs, double learningRate, int batchSize, int images, boolean picksOnly)
        implements java.io.Serializable {
    public static final FineTuneSettings NONE = new FineTuneSettings(false, 1, 1e-3, 64, 1, true);

    public FineTuneSettings {
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
                s.flag(p + "picks-only"));
    }

    /** The part of a trial's identity that fine-tuning contributes ("none" when a trial is not fine-tuned). */
    public String identity() {
        return enabled ? "ft:e" + epochs + ":lr" + learningRate + ":b" + batchSize + ":n" + images : "none";
    }
}
