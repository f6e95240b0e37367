package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * The network a study compressed.
 *
 * @param name             zoo architecture (e.g. vgg-mini)
 * @param dataset          dataset it was trained on
 * @param path             model file
 * @param sha256           digest of the model file
 * @param testAccuracy     top-1 accuracy of the uncompressed network on the first {@code testImages} test images
 * @param testImages       how many test images (the same ones every trial's accuracy is measured on)
 * @param compressibleMacs MACs of its compressible layers for one image
 * @param networkMacs      MACs of the whole network for one image (0 when unknown)
 * @param trainSeconds     how long training took (of the run that trained it)
 * @param reused           true when this run found the trained model and did not train again
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelInfo(
        String name,
        String dataset,
        String path,
        String sha256,
        double testAccuracy,
        int testImages,
        double compressibleMacs,
        double networkMacs,
        double trainSeconds,
        boolean reused) {
    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
