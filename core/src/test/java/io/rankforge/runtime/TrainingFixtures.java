package io.rankforge.runtime;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Training steps and batches shared by the training-kernel tests. */
final class TrainingFixtures {
    private TrainingFixtures() {}

    /** One training step of either kind of DL4J network. */
    static void fit(Model m, DataSet b) {
        if (m instanceof MultiLayerNetwork n) {
            n.fit(b);
        } else {
            ((ComputationGraph) m).fit(b);
        }
    }

    /** Fashion-MNIST-shaped random images (one channel, 28×28) with one-hot labels, from {@code seed}. */
    static DataSet batch(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, 28, 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 3 + seed) % 10, 1);
        }
        return new DataSet(x, y);
    }
}
