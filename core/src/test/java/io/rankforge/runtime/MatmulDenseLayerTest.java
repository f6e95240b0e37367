package io.rankforge.runtime;

import static io.rankforge.runtime.TrainingFixtures.assertRejected;
import static io.rankforge.runtime.TrainingFixtures.batch;
import static io.rankforge.runtime.TrainingFixtures.fit;
import static io.rankforge.runtime.TrainingFixtures.gradient;
import static io.rankforge.runtime.TrainingFixtures.imageNetwork;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.zoo.ZooArchitecture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Dense layers whose products run through libnd4j's matmul into C-order arrays, with their forward output kept for
 * the backward pass: gradients and outputs against DL4J's within rounding, the cache giving the recomputed product bit
 * for bit, DL4J's layer where a feature is not covered, and nothing of it in a saved network.
 */
class MatmulDenseLayerTest {
    @AfterEach
    void clearSwitches() {
        System.clearProperty(TrainingKernels.DENSE_PROPERTY);
        System.clearProperty(TrainingKernels.EXACT_PROPERTY);
    }

    @Test
    void gradientsAndOutputsAreDl4jsWithinRounding() {
        MultiLayerNetwork reference = network();
        MultiLayerNetwork fast = reference.clone();
        System.setProperty(TrainingKernels.DENSE_PROPERTY, "dl4j");
        TrainingKernels.installForTraining(reference);
        System.clearProperty(TrainingKernels.DENSE_PROPERTY);
        assertEquals("matmul", TrainingKernels.denseKernelLabel(), "the default");
        TrainingKernels.installForTraining(fast);
        assertEquals(2, count(fast, MatmulDenseLayer.class), "both dense layers; the output layer stays DL4J's");
        assertEquals(0, count(reference, MatmulDenseLayer.class));

        DataSet b = batch(13, 5); // 13 rows: no vector lane filled evenly
        Gradient expected = gradient(reference, b, false);
        Gradient actual = gradient(fast, b, false);
        for (String key : expected.gradientForVariable().keySet()) {
            INDArray e = expected.getGradientFor(key);
            INDArray a = actual.getGradientFor(key);
            double scale = e.amaxNumber().doubleValue();
            double diff = e.sub(a).amaxNumber().doubleValue();
            assertTrue(scale > 0, key + " is not all zero");
            assertTrue(diff <= 1e-5 * scale, key + " differs by " + diff + " of " + scale);
        }
        assertEquals(reference.score(), fast.score(), 1e-6 * reference.score());
        INDArray x = batch(7, 6).getFeatures();
        INDArray out = fast.output(x, false);
        assertTrue(reference.output(x, false).equalsWithEps(out, 1e-6), "inference through the same layers");
    }

    @Test
    void theForwardCacheGivesTheRecomputedProductBitForBit() {
        // exact speed-ups on: DL4J's cache mode DEVICE, so the backward pass takes the forward output from the cache;
        // off: no cache, the backward pass computes the product again. The same product either way. (Without
        // dropout: libnd4j draws its masks from a generator that Nd4j's seed does not reproduce.)
        MultiLayerNetwork cached = network();
        MultiLayerNetwork recomputed = cached.clone();
        TrainingKernels.installForTraining(cached);
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
        TrainingKernels.installForTraining(recomputed);
        System.clearProperty(TrainingKernels.EXACT_PROPERTY);
        assertEquals(2, count(cached, MatmulDenseLayer.class));
        assertEquals(2, count(recomputed, MatmulDenseLayer.class));
        for (int step = 0; step < 3; step++) {
            DataSet b = batch(16, 30 + step);
            fit(cached, b);
            fit(recomputed, b);
        }
        assertArrayEquals(
                recomputed.params().data().asFloat(),
                cached.params().data().asFloat(),
                "three steps: the cached forward output is the recomputed one");
        assertFalse(network().params().equalsWithEps(cached.params(), 1e-6), "the steps changed the parameters");
    }

    @Test
    void lenet5TrainsAsDl4jDoesAndSavesAsPlainDl4j() throws Exception {
        MultiLayerNetwork reference =
                (MultiLayerNetwork) ZooArchitecture.byId("lenet5").build(4);
        MultiLayerNetwork fast = reference.clone();
        System.setProperty(TrainingKernels.DENSE_PROPERTY, "dl4j");
        TrainingKernels.installForTraining(reference);
        System.clearProperty(TrainingKernels.DENSE_PROPERTY);
        TrainingKernels.installForTraining(fast);
        TrainingKernels.installForTraining(fast); // idempotent
        assertEquals(1, count(fast, MatmulDenseLayer.class), "fc 500");
        Layer dense = fast.getLayer(fast.getnLayers() - 2);
        assertInstanceOf(MatmulDenseLayer.class, dense);
        assertSame(dense, fast.getLayer(dense.conf().getLayer().getLayerName()), "the network looks it up by name");
        for (int step = 0; step < 5; step++) {
            DataSet b = batch(16, 60 + step);
            fit(reference, b);
            fit(fast, b);
            assertEquals(reference.score(), fast.score(), 1e-5 * reference.score(), "loss at step " + step);
        }
        double diff = reference.params().sub(fast.params()).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * reference.params().amaxNumber().doubleValue(), "parameters: " + diff);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(fast, bytes, true);
        MultiLayerNetwork loaded =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        for (MultiLayerNetwork copy : new MultiLayerNetwork[] {loaded, fast.clone()}) {
            assertEquals(0, count(copy, MatmulDenseLayer.class), "a saved or cloned network is plain DL4J");
            assertEquals(fast.params(), copy.params());
        }
        // a network fitted before, with an updater built from DL4J's layers: installed later, the state is kept
        TrainingKernels.install(loaded);
        assertEquals(1, count(loaded, MatmulDenseLayer.class));
        assertEquals(fast.getUpdater().getStateViewArray(), loaded.getUpdater().getStateViewArray());
        loaded.setLearningRate(1e-4); // DL4J rebuilds its updater from the layers: the replaced one among them
        fit(loaded, batch(16, 70));
        assertTrue(Double.isFinite(loaded.score()));
    }

    @Test
    void switchedOffAndBadValuesNamed() {
        System.setProperty(TrainingKernels.DENSE_PROPERTY, "dl4j");
        MultiLayerNetwork net = network();
        TrainingKernels.install(net);
        assertEquals(0, count(net, MatmulDenseLayer.class));
        assertEquals("dl4j", TrainingKernels.denseKernelLabel());
        assertRejected(TrainingKernels.DENSE_PROPERTY, "RANKFORGE_DENSE_KERNEL", "onednn", () -> {
            TrainingKernels.denseKernelLabel();
        });
    }

    @Test
    void layerNormKeepsDl4jsLayer() {
        MultiLayerNetwork net = imageNetwork(
                new NeuralNetConfiguration.Builder().seed(2),
                new DenseLayer.Builder().nOut(8).hasLayerNorm(true).build());
        TrainingKernels.install(net);
        assertFalse(net.getLayer(0) instanceof MatmulDenseLayer);
    }

    /** conv 3×3 (4 filters, stride 2) on 28×28 images, dense 40 (ReLU), dense 24 (tanh), softmax output. */
    private static MultiLayerNetwork network() {
        return imageNetwork(
                new NeuralNetConfiguration.Builder()
                        .seed(11)
                        .updater(new Adam(1e-3))
                        .l2(1e-4),
                new ConvolutionLayer.Builder(3, 3)
                        .stride(2, 2)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build(),
                new DenseLayer.Builder().nOut(40).activation(Activation.RELU).build(),
                new DenseLayer.Builder().nOut(24).activation(Activation.TANH).build());
    }

    private static int count(MultiLayerNetwork net, Class<?> kind) {
        return TrainingFixtures.count(net.getLayers(), kind);
    }
}
