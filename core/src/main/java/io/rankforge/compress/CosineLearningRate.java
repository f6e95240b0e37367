package io.rankforge.compress;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A {@link FineTuneSchedule}'s cosine decay as a DL4J learning-rate schedule, so that the updater reads the rate of
 * each iteration itself. Setting the rate on the network before every mini-batch instead makes DL4J rebuild the
 * updater and copy its state each time: an allocation per iteration, off-heap, that only a garbage collection frees.
 * DL4J passes the network's own iteration count, which {@link FineTuner} sets to 0 when fine-tuning starts.
 */
final class CosineLearningRate implements ISchedule {
    private final double learningRate;
    private final long iterations;

    CosineLearningRate(@JsonProperty("learningRate") double learningRate, @JsonProperty("iterations") long iterations) {
        if (!(learningRate > 0) || iterations < 0) {
            throw new IllegalArgumentException(
                    "learningRate must be > 0 and iterations >= 0, got " + learningRate + ", " + iterations);
        }
        this.learningRate = learningRate;
        this.iterations = iterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return FineTuneSchedule.cosine(learningRate, iteration, iterations);
    }

    @Override
    public ISchedule clone() {
        return new CosineLearningRate(learningRate, iterations);
    }

    public double getLearningRate() {
        return learningRate;
    }

    public long getIterations() {
        return iterations;
    }
}
