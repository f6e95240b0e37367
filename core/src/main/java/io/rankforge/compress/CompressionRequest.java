package io.rankforge.compress;

import io.rankforge.RankConfiguration;
import io.rankforge.data.ImageDataset;
import io.rankforge.model.LoadedModel;
import java.util.Objects;

/**
 * One compression: which model, which ranks, which images for each stage, and how to fine-tune.
 *
 * @param source         the original model, as loaded
 * @param dataset        the dataset's id (fashion-mnist, mnist), recorded in the sidecar; null = none
 * @param ranks          rank of every compressible layer to decompose (others stay as they are)
 * @param origin         where the ranks came from (method and budget, or a ranks file)
 * @param train          the fine-tuning images (the training split, never held-out or test images); null = none
 * @param calibration    images whose statistics replace the batch-norm layers' running ones after decomposition
 *                       (first images of the training split); null = keep the trained statistics
 * @param test           the images every accuracy is measured on (the test split, or its first images); null =
 *                       none (a model of a dataset not at hand: no accuracy, no fine-tuning, no batch-norm
 *                       re-estimation; latency on random inputs)
 * @param fineTune       the fine-tuning schedule ({@link FineTuneSchedule#none()} for none)
 * @param latencyRepeats timed forward passes per latency (batch 1 and 64, original and compressed); 0 = no latency
 */
public record CompressionRequest(
        LoadedModel source,
        String dataset,
        RankConfiguration ranks,
        RankOrigin origin,
        ImageDataset train,
        ImageDataset calibration,
        ImageDataset test,
        FineTuneSchedule fineTune,
        int latencyRepeats) {
    public CompressionRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ranks, "ranks");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(fineTune, "fineTune");
        if (ranks.ranks().isEmpty()) {
            throw new IllegalArgumentException("ranks must name at least one layer to compress");
        }
        if (test != null && test.size() == 0) {
            throw new IllegalArgumentException("test images must not be empty (null = no images)");
        }
        if (fineTune.epochs() > 0 && (train == null || train.size() == 0 || test == null)) {
            throw new IllegalArgumentException("fine-tuning needs training and test images");
        }
        if (latencyRepeats < 0) {
            throw new IllegalArgumentException("latencyRepeats must be >= 0, got " + latencyRepeats);
        }
    }
}
