package io.rankforge.zoo;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Settings every zoo network shares: seeded He initialisation, float32, L2, and Adam whose learning rate
 * decays exponentially per epoch from {@link #LEARNING_RATE} to {@link #FINAL_FRACTION} of it in the last epoch.
 */
final class Training {
    static final double LEARNING_RATE = 2e-3;
    static final double FINAL_FRACTION = 0.05;
    static final double L2 = 1e-4;

    private Training() {}

    /** Per-epoch decay so that epoch {@code epochs - 1} (0-based) runs at FINAL_FRACTION of the start rate. */
    static double decay(int epochs) {
        return epochs <= 1 ? 1.0 : Math.pow(FINAL_FRACTION, 1.0 / (epochs - 1));
    }

    static NeuralNetConfiguration.Builder base(long seed, int epochs) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(new ExponentialSchedule(ScheduleType.EPOCH, LEARNING_RATE, decay(epochs))))
                .l2(L2);
    }
}
