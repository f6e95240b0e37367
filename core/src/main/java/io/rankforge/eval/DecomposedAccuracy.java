package io.rankforge.eval;

import io.rankforge.AccuracyOracle;
import io.rankforge.RankConfiguration;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Accuracy of one network compressed with any rank configuration, on one fixed image set (the held-out
 * split for every measured metric). What ENC-Inf, sensitivity measurement and sweeps call many times:
 * the SVD of each layer is computed once (by the {@link Decomposer}), each call only truncates the
 * factors, builds the network, re-estimates its batch-norm statistics when calibration images are given
 * ({@link BatchNormRecalibration}) and runs it; results are memoised per configuration.
 * Thread-safe: concurrent calls build and run separate networks.
 */
public final class DecomposedAccuracy implements AccuracyOracle {
    private final Decomposer decomposer;
    private final ImageDataset data;
    private final int batchSize;
    private final ImageDataset calibration;
    private final Map<RankConfiguration, Evaluation> cache = new ConcurrentHashMap<>();

    private DecomposedAccuracy(Decomposer decomposer, ImageDataset data, int batchSize, ImageDataset calibration) {
        this.decomposer = Objects.requireNonNull(decomposer, "decomposer");
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("the evaluation set is empty");
        }
        this.batchSize = batchSize;
        this.calibration = calibration;
    }

    /** Accuracy with the trained model's batch-norm statistics. */
    public static DecomposedAccuracy of(Decomposer decomposer, ImageDataset data) {
        return new DecomposedAccuracy(decomposer, data, Evaluator.DEFAULT_BATCH, null);
    }

    public static DecomposedAccuracy of(Decomposer decomposer, ImageDataset data, int batchSize) {
        return new DecomposedAccuracy(decomposer, data, batchSize, null);
    }

    /**
     * Accuracy after re-estimating each compressed network's batch-norm statistics from {@code calibration}
     * (training images, never {@code data}); null calibration = the trained statistics.
     */
    public static DecomposedAccuracy recalibrated(Decomposer decomposer, ImageDataset data, ImageDataset calibration) {
        return new DecomposedAccuracy(decomposer, data, Evaluator.DEFAULT_BATCH, calibration);
    }

    /**
     * The network compressed to {@code ranks}, its batch-norm statistics re-estimated from
     * {@code calibration} unless that is null: what every measurement and every trial evaluates.
     */
    public static Model compress(Decomposer decomposer, RankConfiguration ranks, ImageDataset calibration) {
        Model net = decomposer.decompose(ranks);
        if (calibration != null) {
            BatchNormRecalibration.recalibrate(net, calibration);
        }
        return net;
    }

    public Decomposer decomposer() {
        return decomposer;
    }

    public ImageDataset data() {
        return data;
    }

    /** The calibration images, or null when the trained batch-norm statistics are kept. */
    public ImageDataset calibration() {
        return calibration;
    }

    /** Top-1 accuracy in [0, 1] with {@code ranks} (layers absent from it uncompressed). */
    @Override
    public double accuracy(RankConfiguration ranks) {
        return evaluate(ranks).accuracy();
    }

    /** Accuracy and throughput with {@code ranks}; evaluated once per distinct configuration. */
    public Evaluation evaluate(RankConfiguration ranks) {
        Evaluation cached = cache.get(ranks);
        if (cached != null) {
            return cached;
        }
        Model net = compress(decomposer, ranks, calibration);
        try {
            Evaluation e = Evaluator.evaluate(net, data, batchSize);
            cache.putIfAbsent(ranks, e);
            return e;
        } finally {
            close(net); // free the network's off-heap parameters now rather than at garbage collection
        }
    }

    /** Number of distinct configurations evaluated so far. */
    public int evaluations() {
        return cache.size();
    }

    private static void close(Model net) {
        if (net instanceof MultiLayerNetwork m) {
            m.close();
        } else if (net instanceof ComputationGraph g) {
            g.close();
        }
    }
}
