package io.rankforge.jobs.benchmark;

import io.rankforge.RankConfiguration;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One compression of the benchmark: a method's pick for one model at one budget, fine-tuned with one seed.
 *
 * @param taskId    stable id (model digest, ranks, fine-tuning settings, seed index): the journal's key
 * @param model     the model's name (its zoo id)
 * @param digest    SHA-256 of the model file
 * @param method    the selection method
 * @param budget    the FLOPs budget (fraction of the compressible layers' MACs)
 * @param seedIndex which fine-tuning seed (0-based)
 * @param seed      the fine-tuning seed (derived from the experiment seed and the task id)
 * @param layers    the compressed layers, in order
 * @param ranks     their ranks
 * @param fineTune  fine-tuning epochs, learning rate, batch size, images (as a string for the journal)
 */
public record BenchmarkTask(
        String taskId,
        String model,
        String digest,
        String method,
        double budget,
        int seedIndex,
        long seed,
        List<String> layers,
        int[] ranks,
        String fineTune)
        implements Serializable {
    public BenchmarkTask {
        Objects.requireNonNull(taskId, "taskId");
        layers = List.copyOf(layers);
        ranks = ranks.clone();
        if (layers.size() != ranks.length) {
            throw new IllegalArgumentException("layers and ranks must have the same length");
        }
    }

    public RankConfiguration configuration() {
        return RankConfiguration.of(layers, ranks);
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }
}
