package io.rankforge.zoo;

import java.util.Objects;
import org.deeplearning4j.nn.api.Model;

/**
 * A zoo network after training and what was measured on it.
 *
 * @param heldOutAccuracy top-1 accuracy on the held-out split (NaN when the split was empty)
 * @param testAccuracy    top-1 accuracy on the 10,000 test images
 * @param trainingSeconds wall time of the fit loop only (no data loading, no evaluation)
 * @param trainingCpuSeconds CPU time of the whole process during the fit loop (NaN if unknown): on a
 *                        shared machine a fairer measure of cost than wall time
 * @param trainImages     images seen per epoch
 */
public record TrainedModel(
        ZooArchitecture architecture,
        Model model,
        String dataset,
        int epochs,
        long seed,
        int trainImages,
        double heldOutAccuracy,
        double testAccuracy,
        double trainingSeconds,
        double trainingCpuSeconds) {
    /** Without a CPU-time measurement. */
    public TrainedModel(
            ZooArchitecture architecture,
            Model model,
            String dataset,
            int epochs,
            long seed,
            int trainImages,
            double heldOutAccuracy,
            double testAccuracy,
            double trainingSeconds) {
        this(
                architecture,
                model,
                dataset,
                epochs,
                seed,
                trainImages,
                heldOutAccuracy,
                testAccuracy,
                trainingSeconds,
                Double.NaN);
    }

    public TrainedModel {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
    }
}
