package io.rankforge.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

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

    /**
     * A network on Fashion-MNIST-shaped images (one channel, 28×28): {@code settings}' layers, then a softmax output
     * over ten classes; initialised.
     */
    static MultiLayerNetwork imageNetwork(
            NeuralNetConfiguration.Builder settings, org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = settings.list();
        for (org.deeplearning4j.nn.conf.layers.Layer l : layers) {
            list.layer(l);
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(10)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(
                list.setInputType(InputType.convolutional(28, 28, 1)).build());
        net.init();
        return net;
    }

    /** The gradient of one batch, copied out of the network's gradient view; inside a fitting scope or not. */
    static Gradient gradient(MultiLayerNetwork net, DataSet b, boolean fitting) {
        net.setInput(b.getFeatures());
        net.setLabels(b.getLabels());
        try (TrainingKernels.Fitting scope = fitting ? TrainingKernels.fitting() : null) {
            net.computeGradientAndScore();
        }
        Gradient g = net.gradient();
        g.gradientForVariable().replaceAll((k, v) -> v.dup());
        return g;
    }

    /** How many of the network's layers are of {@code kind}. */
    static int count(Layer[] layers, Class<?> kind) {
        int n = 0;
        for (Layer l : layers) {
            if (kind.isInstance(l)) {
                n++;
            }
        }
        return n;
    }

    /**
     * With {@code property} set to {@code bad}, {@code read} fails with a one-line error that names the switch's
     * environment variable and the value.
     */
    static void assertRejected(String property, String environment, String bad, Executable read) {
        System.setProperty(property, bad);
        UserInputException e = assertThrows(UserInputException.class, read);
        assertTrue(e.getMessage().contains(environment) && e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
}
