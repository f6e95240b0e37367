package io.rankforge.compress;

/**
 * How a compressed network is fine-tuned: Adam (fresh moments) for {@code epochs} passes over the first
 * {@code trainImages} training images (0 = all) in shuffled mini-batches of {@code batchSize}, the learning rate
 * decaying from {@code learningRate} to 0 along a half cosine over all iterations (updated every iteration). The
 * shuffles derive from {@code seed}. {@code epochs} 0 means no fine-tuning.
 */
public record FineTuneSchedule(int epochs, double learningRate, int batchSize, int trainImages, long seed) {
    /** Default epochs: what recovers vgg-mini at 50% of its FLOPs to the original's accuracy; docs/compress.md. */
    public static final int DEFAULT_EPOCHS = 10;
    /** Default initial learning rate: half the zoo's training rate (2e-3), as the weights start close. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** Default mini-batch: the zoo's. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    public FineTuneSchedule {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (trainImages < 0) {
            throw new IllegalArgumentException("trainImages must be >= 0 (0 = all), got " + trainImages);
        }
    }

    /** The default schedule: {@value #DEFAULT_EPOCHS} epochs, Adam from 1e-3 with cosine decay, batch 64. */
    public static FineTuneSchedule defaults(long seed) {
        return new FineTuneSchedule(DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, DEFAULT_BATCH_SIZE, 0, seed);
    }

    /** No fine-tuning. */
    public static FineTuneSchedule none() {
        return new FineTuneSchedule(0, DEFAULT_LEARNING_RATE, DEFAULT_BATCH_SIZE, 0, 0);
    }

    /**
     * The learning rate of iteration {@code i} (0-based) of {@code total}: lr · (1 + cos(π·i/total)) / 2, from lr at
     * the first iteration towards 0 at the last.
     */
    public double learningRateAt(long i, long total) {
        return cosine(learningRate, i, total);
    }

    /** lr · (1 + cos(π·min(i, total)/total)) / 2; lr itself when {@code total <= 0}. */
    static double cosine(double lr, long i, long total) {
        if (total <= 0) {
            return lr;
        }
        return lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(i, total) / total));
    }
}
