package io.rankforge.jobs.exec;

import io.rankforge.data.ImageDataset;
import io.rankforge.jobs.config.FineTuneSettings;
import io.rankforge.runtime.TrainingKernels;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed short fine-tuning of a compressed network: the same epochs, learning rate, batch size and
 * images for every trial; the shuffles and ND4J's random numbers come from the trial's task seed, so
 * a retried task trains identically.
 */
public final class FineTuning {
    private FineTuning() {}

    /** Trains {@code net} in place; returns its final training loss (NaN or infinite is a failure). */
    public static double run(Model net, ImageDataset train, FineTuneSettings s, long seed) {
        Nd4j.getRandom().setSeed(seed);
        ImageDataset data = train.first(s.images());
        TrainingKernels.installForTraining(net);
        try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
            if (net instanceof MultiLayerNetwork mln) {
                mln.setLearningRate(s.learningRate());
                mln.fit(data.shuffledBatches(s.batchSize(), seed), s.epochs());
            } else if (net instanceof ComputationGraph cg) {
                cg.setLearningRate(s.learningRate());
                cg.fit(data.shuffledBatches(s.batchSize(), seed), s.epochs());
            } else {
                throw new IllegalArgumentException(
                        "cannot fine-tune a " + net.getClass().getSimpleName());
            }
        }
        double loss = net.score();
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("fine-tuning diverged: loss is " + loss);
        }
        return loss;
    }
}
