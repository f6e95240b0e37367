package io.rankforge.compress;

import java.util.List;

/**
 * What fine-tuning did.
 *
 * @param images     training images per epoch
 * @param iterations mini-batch updates over all epochs
 * @param epochLoss  mean training loss of each epoch's mini-batches (as DL4J scores them, L2 included)
 * @param seconds    wall time of the training loop
 */
public record FineTuneOutcome(int images, long iterations, List<Double> epochLoss, double seconds) {
    public FineTuneOutcome {
        epochLoss = List.copyOf(epochLoss);
    }

    /** Nothing trained. */
    public static FineTuneOutcome none() {
        return new FineTuneOutcome(0, 0, List.of(), 0);
    }
}
