package io.rankforge.runtime;

import static io.rankforge.runtime.TrainingFixtures.batch;
import static io.rankforge.runtime.TrainingFixtures.fit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.decompose.Decomposer;
import io.rankforge.model.LayerSpec;
import io.rankforge.zoo.ZooArchitecture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The fused update ({@link UpdaterKernel} through {@link FusedUpdaters}) against DL4J's updater: parameters and
 * updater state bit for bit over training steps with the zoo's and fine-tuning's schedules, L2 and weight decay,
 * batch norm's running statistics (no updater, not divided by the batch), a saved and restored network, and DL4J's
 * own path wherever the kernel does not reproduce the update.
 */
class UpdaterKernelTest {
    @AfterEach
    void clearSwitches() {
        System.clearProperty(TrainingKernels.EXACT_PROPERTY);
    }

    @Test
    void thisBuildsArithmeticIsRecognised() {
        // the CI machines load the oneDNN or plain x86-64 build; both must be reproduced, not silently skipped
        assertTrue(
                Arithmetic.calibrated().isPresent(),
                "no variant of the update's arithmetic reproduced libnd4j's ops on " + NativeBackend.selected());
    }

    @Test
    void zooNetworksTrainToDl4jsParametersAndStateBitForBit() {
        for (String id : new String[] {"resnet-20", "vgg-mini", "lenet5"}) {
            ZooArchitecture arch = ZooArchitecture.byId(id);
            // the zoo's own training configuration: Adam on an exponential schedule, L2
            assertSameTraining(id, () -> arch.build(7L, 2), 6, 16, true);
        }
    }

    @Test
    void decomposedNetworksTrainToDl4jsParametersAndStateBitForBit() {
        // what a sweep fine-tunes: every compressible layer but the output at a seeded random rank
        for (String id : new String[] {"vgg-mini", "resnet-20"}) {
            ZooArchitecture arch = ZooArchitecture.byId(id);
            assertSameTraining(id + " decomposed", () -> decomposed(arch), 6, 16, true);
        }
    }

    private static Model decomposed(ZooArchitecture arch) {
        Model net = arch.build(7L, 2);
        Decomposer d = Decomposer.withDefaultSchemes(net, arch.inputType());
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Random random = new Random(3);
        for (LayerSpec l : d.plan().layers()) {
            if (!l.name().equals("output")) {
                ranks.put(l.name(), 1 + random.nextInt(d.plan().rMax(l.name())));
            }
        }
        return d.decompose(RankConfiguration.of(ranks));
    }

    @Test
    void schedulesWeightDecayAndBatchNormTrainLikeDl4j() {
        IUpdater poly = new Adam(new PolySchedule(ScheduleType.ITERATION, 3e-3, 2, 9));
        assertSameTraining("polynomial, weight decay with lr", () -> smallNet(poly, true, false), 9, 10, true);
        IUpdater exp = new Adam(new ExponentialSchedule(ScheduleType.ITERATION, 1e-2, 0.7));
        assertSameTraining("exponential, weight decay without lr", () -> smallNet(exp, false, false), 9, 10, true);
    }

    @Test
    void updatesTheKernelDoesNotReproduceStayDl4js() {
        MultiLayerNetwork nesterovs = smallNet(new Nesterovs(1e-2, 0.9), true, false);
        TrainingKernels.installForTraining(nesterovs);
        assertSame(
                org.deeplearning4j.nn.updater.MultiLayerUpdater.class,
                nesterovs.getUpdater().getClass());
        MultiLayerNetwork clipped = smallNet(new Adam(1e-3), true, true);
        TrainingKernels.installForTraining(clipped);
        assertSame(
                org.deeplearning4j.nn.updater.MultiLayerUpdater.class,
                clipped.getUpdater().getClass());
        // and they still train as DL4J does
        assertSameTraining("gradient clipping", () -> smallNet(new Adam(1e-3), true, true), 3, 10, false);
    }

    @Test
    void savedAndRestoredNetworkContinuesWithTheSameState() throws Exception {
        MultiLayerNetwork net =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(3L, 1);
        TrainingKernels.installForTraining(net);
        assertInstanceOf(FusedUpdaters.Layers.class, net.getUpdater());
        for (int s = 0; s < 3; s++) {
            net.fit(batch(12, 70 + s));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork plain =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        MultiLayerNetwork fused =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertArrayEquals(
                net.getUpdater().getStateViewArray().data().asFloat(),
                plain.getUpdater().getStateViewArray().data().asFloat(),
                "the saved updater state is the kernel's");
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
        TrainingKernels.installForTraining(plain);
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "on");
        TrainingKernels.installForTraining(fused);
        assertInstanceOf(FusedUpdaters.Layers.class, fused.getUpdater());
        for (int s = 0; s < 3; s++) {
            plain.fit(batch(12, 80 + s));
            fused.fit(batch(12, 80 + s));
        }
        assertArrayEquals(plain.params().data().asFloat(), fused.params().data().asFloat());
    }

    @Test
    void onlyNetworksAboutToBeFittedGetTheUpdate() {
        // evaluation and batch-norm recalibration install the layer kernels only: no updater is built for them
        ComputationGraph evaluated =
                (ComputationGraph) ZooArchitecture.byId("resnet-20").build(4L, 1);
        TrainingKernels.install(evaluated);
        assertNull(evaluated.getUpdater(false));
        MultiLayerNetwork recalibrated =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(4L, 1);
        TrainingKernels.install(recalibrated);
        assertNull(recalibrated.getUpdater(false));
        TrainingKernels.installForTraining(recalibrated);
        assertInstanceOf(FusedUpdaters.Layers.class, recalibrated.getUpdater(false));
    }

    @Test
    void installingTwiceKeepsOneUpdaterAndItsState() {
        ComputationGraph net =
                (ComputationGraph) ZooArchitecture.byId("resnet-20").build(4L, 1);
        TrainingKernels.installForTraining(net);
        Object first = net.getUpdater();
        INDArray state = net.getUpdater().getStateViewArray();
        net.fit(batch(8, 5));
        TrainingKernels.installForTraining(net);
        assertSame(first, net.getUpdater());
        assertSame(state, net.getUpdater().getStateViewArray());
        ComputationGraph copy = net.clone();
        assertNotSame(FusedUpdaters.Graph.class, copy.getUpdater().getClass(), "a clone is plain DL4J");
        assertFalse(copy.getUpdater() instanceof FusedUpdaters.Graph);
    }

    /**
     * Trains two fresh networks from {@code build} on the same batches, one with DL4J's updater (exact speed-ups off)
     * and one with the kernel, and compares parameters and updater state after every step.
     */
    private static void assertSameTraining(
            String what, Supplier<Model> build, int steps, int batchSize, boolean kernelExpected) {
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
        Model reference = build.get();
        TrainingKernels.installForTraining(reference);
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "on");
        Model fast = build.get();
        TrainingKernels.installForTraining(fast);
        System.clearProperty(TrainingKernels.EXACT_PROPERTY);
        assertFalse(fused(reference), what + ": the reference has DL4J's updater");
        assertEquals(kernelExpected, fused(fast), what + ": whether the kernel updates");
        for (int step = 0; step < steps; step++) {
            DataSet b = batch(batchSize, 90 + step);
            fit(reference, b);
            fit(fast, b);
            assertArrayEquals(
                    reference.params().data().asFloat(),
                    fast.params().data().asFloat(),
                    what + ": parameters after step " + step + " must be DL4J's bit for bit");
            assertArrayEquals(
                    updater(reference).getStateViewArray().data().asFloat(),
                    updater(fast).getStateViewArray().data().asFloat(),
                    what + ": updater state after step " + step + " must be DL4J's bit for bit");
        }
    }

    private static boolean fused(Model m) {
        return updater(m) instanceof FusedUpdaters.Graph || updater(m) instanceof FusedUpdaters.Layers;
    }

    private static Updater updater(Model m) {
        return m instanceof MultiLayerNetwork n ? n.getUpdater() : ((ComputationGraph) m).getUpdater();
    }

    /** Convolution, batch norm, dense, output: weight decay on the dense layer, L2 elsewhere. */
    private static MultiLayerNetwork smallNet(IUpdater updater, boolean decayTimesLr, boolean clip) {
        NeuralNetConfiguration.Builder b =
                new NeuralNetConfiguration.Builder().seed(12).updater(updater).l2(3e-4);
        if (clip) {
            b.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(0.01);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(6)
                        .activation(Activation.RELU)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder()
                        .nOut(16)
                        .activation(Activation.TANH)
                        .regularization(java.util.List.of(new WeightDecay(5e-3, decayTimesLr)))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nOut(10)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        net.init();
        return net;
    }
}
