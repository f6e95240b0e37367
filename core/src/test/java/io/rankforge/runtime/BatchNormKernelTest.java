package io.rankforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The fused batch-norm kernel against DL4J's own Java pass (no helper) and its native helper: same training-mode
 * output, gradients and running statistics to float rounding; inference untouched. Smooth activations (tanh) so
 * that rounding cannot flip a ReLU or a max-pool choice and turn a rounding difference into a large one.
 */
class BatchNormKernelTest {
    private static final Field HELPER = helperField();

    @Test
    void trainingPassMatchesDl4jsOwnBatchNorm() throws Exception {
        DataSet batch = batch(16, 9, 7);
        MultiLayerNetwork reference = convNet(true);
        setHelpers(reference, null); // DL4J's Java implementation
        MultiLayerNetwork fused = convNet(true);
        assertEquals(2, TrainingKernels.install(fused));

        INDArray outRef = reference.output(batch.getFeatures(), true);
        INDArray outFused = fused.output(batch.getFeatures(), true);
        assertTrue(relative(outRef, outFused) < 1e-5, "training-mode output differs: " + relative(outRef, outFused));

        INDArray gRef = gradient(reference, batch);
        INDArray gFused = gradient(fused, batch);
        assertEquals(reference.score(), fused.score(), 1e-5);
        assertTrue(relative(gRef, gFused) < 1e-5, "gradients differ: relative L2 " + relative(gRef, gFused));
        // the gamma and beta gradients alone (a wrong one hides in the full vector behind the weights')
        for (String p : new String[] {"1_gamma", "1_beta", "4_gamma", "4_beta"}) {
            INDArray a = reference.gradient().getGradientFor(p);
            INDArray b = fused.gradient().getGradientFor(p);
            assertTrue(relative(a, b) < 1e-5, p + " gradient differs: " + a + " vs " + b);
        }
    }

    @Test
    void runningStatisticsAfterTrainingStepsMatch() throws Exception {
        for (boolean logStd : new boolean[] {true, false}) {
            MultiLayerNetwork reference = convNet(logStd);
            setHelpers(reference, null);
            MultiLayerNetwork fused = convNet(logStd);
            TrainingKernels.install(fused);
            for (int step = 0; step < 3; step++) {
                DataSet b = batch(8, 9, 100 + step);
                reference.fit(b);
                fused.fit(b);
            }
            String var = logStd
                    ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    : BatchNormalizationParamInitializer.GLOBAL_VAR;
            for (String key : new String[] {BatchNormalizationParamInitializer.GLOBAL_MEAN, var}) {
                INDArray a = reference.getLayer(1).getParam(key);
                INDArray b = fused.getLayer(1).getParam(key);
                assertTrue(relative(a, b) < 1e-4, "logStd=" + logStd + " " + key + ": " + a + " vs " + b);
            }
            assertTrue(relative(reference.params(), fused.params()) < 1e-4, "logStd=" + logStd + " parameters");
        }
    }

    @Test
    void inferenceIsLeftToTheNativeHelper() {
        MultiLayerNetwork plain = convNet(true);
        MultiLayerNetwork fused = convNet(true);
        TrainingKernels.install(fused);
        INDArray x = batch(12, 9, 3).getFeatures();
        assertEquals(plain.output(x, false), fused.output(x, false), "inference must be bit-identical");
    }

    @Test
    void denseBatchNormFallsBackToDl4j() throws Exception {
        MultiLayerNetwork reference = denseNet();
        MultiLayerNetwork fused = denseNet();
        TrainingKernels.install(fused);
        DataSet b = batch(10, 4, 5);
        b = new DataSet(b.getFeatures().reshape(10, 32), b.getLabels());
        assertEquals(gradient(reference, b), gradient(fused, b), "a rank-2 input goes to DL4J's own pass");
    }

    @Test
    void installIsIdempotentAndKeepsDl4jsHelperAsFallback() throws Exception {
        MultiLayerNetwork net = convNet(true);
        Object original = HELPER.get(net.getLayer(1));
        assertEquals(2, TrainingKernels.install(net));
        assertEquals(2, TrainingKernels.install(net));
        BatchNormKernel k = assertInstanceOf(BatchNormKernel.class, HELPER.get(net.getLayer(1)));
        assertSame(original, k.fallback(), "the kernel wraps DL4J's helper once, not itself");
        assertNotSame(HELPER.get(net.getLayer(1)), HELPER.get(net.getLayer(4)), "one kernel per layer");
        assertFalse(
                HELPER.get(net.clone().getLayer(1)) instanceof BatchNormKernel,
                "a clone's layers are built afresh with DL4J's helper (install again before training it)");
    }

    @Test
    void switchedOffByPropertyAndBadValuesNamed() throws Exception {
        try {
            System.setProperty(TrainingKernels.PROPERTY, "dl4j");
            System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
            MultiLayerNetwork net = convNet(true);
            assertEquals(0, TrainingKernels.install(net));
            // the exact inference pass is an exact speed-up: it stays where oneDNN's helper is the one it replaces
            System.clearProperty(TrainingKernels.EXACT_PROPERTY);
            MultiLayerNetwork inferring = convNet(true);
            assertEquals(
                    BatchNormKernel.isOneDnn((BatchNormalizationHelper) HELPER.get(inferring.getLayer(1))) ? 2 : 0,
                    TrainingKernels.install(inferring));
            BatchNormKernel k = assertInstanceOf(BatchNormKernel.class, HELPER.get(inferring.getLayer(1)));
            assertFalse(k.trains(), "RANKFORGE_BN_KERNEL=dl4j: DL4J's training pass");
            assertEquals("dl4j", TrainingKernels.label());
            System.setProperty(TrainingKernels.PROPERTY, "fast");
            UserInputException e = assertThrows(UserInputException.class, TrainingKernels::label);
            assertTrue(
                    e.getMessage().contains("RANKFORGE_BN_KERNEL")
                            && e.getMessage().contains("'fast'"),
                    e.getMessage());
        } finally {
            System.clearProperty(TrainingKernels.PROPERTY);
            System.clearProperty(TrainingKernels.EXACT_PROPERTY);
        }
        assertEquals("fused", TrainingKernels.label());
    }

    private static MultiLayerNetwork convNet(boolean logStd) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).padding(1, 1).build())
                .layer(new BatchNormalization.Builder().useLogStd(logStd).build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).stride(2, 2).build())
                .layer(new BatchNormalization.Builder().useLogStd(logStd).build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nOut(3)
                        .build())
                .setInputType(InputType.convolutional(9, 9, 2))
                .build());
        net.init();
        // gamma and beta away from their initial 1 and 0, so that a kernel ignoring them fails
        Nd4j.getRandom().setSeed(11);
        for (int i : new int[] {1, 4}) {
            Layer bn = net.getLayer(i);
            bn.setParam(
                    "gamma",
                    Nd4j.rand(DataType.FLOAT, bn.getParam("gamma").shape()).addi(0.5));
            bn.setParam("beta", Nd4j.randn(DataType.FLOAT, bn.getParam("beta").shape()));
        }
        return net;
    }

    private static MultiLayerNetwork denseNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder()
                        .nOut(6)
                        .activation(Activation.TANH)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nOut(3)
                        .build())
                .setInputType(InputType.feedForward(32))
                .build());
        net.init();
        return net;
    }

    /** Random images (two channels, offset from zero so the mean matters) with random one-hot labels. */
    private static DataSet batch(int n, int side, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 2, side, side).muli(2).addi(1.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 7 + seed) % 3, 1);
        }
        return new DataSet(x, y);
    }

    private static INDArray gradient(MultiLayerNetwork net, DataSet b) {
        net.setInput(b.getFeatures());
        net.setLabels(b.getLabels());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    private static double relative(INDArray expected, INDArray actual) {
        double scale = Math.max(expected.norm2Number().doubleValue(), 1e-12);
        return expected.sub(actual).norm2Number().doubleValue() / scale;
    }

    private static void setHelpers(MultiLayerNetwork net, BatchNormalizationHelper h) throws Exception {
        for (Layer l : net.getLayers()) {
            if (l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                HELPER.set(l, h);
            }
        }
    }

    private static Field helperField() {
        try {
            Field f = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
