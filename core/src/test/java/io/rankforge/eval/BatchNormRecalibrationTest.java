package io.rankforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.TestNetworks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

class BatchNormRecalibrationTest {
    /** Calibration images: real training images, never the ones the accuracy is measured on. */
    static final ImageDataset CALIBRATION = TestNetworks.train(400);

    static final ImageDataset HELD_OUT = TestNetworks.heldOut(1000);

    /**
     * conv 5×5 → BN (log10 std) → relu → dropout → dense → BN (variance) → output; eps large so that a
     * wrong convention for eps in the stored statistics shows in the outputs.
     */
    static MultiLayerNetwork small(CNN2DFormat format, boolean dropout) {
        var b = new NeuralNetConfiguration.Builder()
                .seed(3)
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .name("conv")
                        .nOut(5)
                        .stride(2, 2)
                        .dataFormat(format)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder()
                        .name("bn_conv")
                        .eps(0.3)
                        .useLogStd(true)
                        .build())
                .layer(new ActivationLayer.Builder()
                        .name("relu")
                        .activation(Activation.RELU)
                        .build());
        if (dropout) {
            b.layer(new DropoutLayer.Builder(0.5).name("drop").build());
        }
        MultiLayerConfiguration conf = b.layer(new DenseLayer.Builder()
                        .name("fc")
                        .nOut(12)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder()
                        .name("bn_fc")
                        .eps(0.2)
                        .useLogStd(false)
                        .activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("output")
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray input(Model net, ImageDataset images) {
        INDArray x = images.features();
        return Evaluator.takesChannelsLast(net) ? x.permute(0, 2, 3, 1).dup('c') : x;
    }

    @Test
    void inferenceAfterRecalibrationEqualsTrainingModeOnTheCalibrationBatch() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            MultiLayerNetwork net = small(format, false);
            INDArray x = input(net, CALIBRATION);
            INDArray before = net.output(x, false);
            INDArray training = net.output(x, true); // batch statistics everywhere
            assertTrue(
                    relativeDifference(before, training) > 1e-2,
                    format + ": freshly initialised statistics (0, 1) differ from the batch's, else this "
                            + "test shows nothing");
            List<String> set = BatchNormRecalibration.recalibrate(net, CALIBRATION);
            assertEquals(List.of("bn_conv", "bn_fc"), set, format + ": every batch-norm layer, in order");
            INDArray after = net.output(x, false);
            assertTrue(
                    relativeDifference(after, training) < 1e-4,
                    format
                            + ": inference with the re-estimated statistics = training mode on the same "
                            + "batch, difference "
                            + relativeDifference(after, training));
        }
    }

    @Test
    void storedStatisticsAreThoseOfEachLayersInputWithDropoutOff() {
        MultiLayerNetwork net = small(CNN2DFormat.NCHW, true);
        BatchNormRecalibration.recalibrate(net, CALIBRATION);
        assertNotNull(net.getLayer("drop").conf().getLayer().getIDropout(), "dropout is restored after the pass");
        // inference feeds each BN layer what the recalibration saw only if dropout was off during it
        List<INDArray> acts = net.feedForward(CALIBRATION.features(), false);
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (!(layers[i] instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn)) {
                continue;
            }
            INDArray in = acts.get(i);
            var pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                in = pre.preProcess(
                        in, (int) in.size(0), org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            }
            assertStatisticsOf(bn, in, in.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0});
        }
    }

    @Test
    void graphWithShortcutsRecalibratesEveryBatchNormAndRecoversAccuracyOfATruncatedNetwork() {
        ComputationGraph original = TestNetworks.graph();
        Decomposer d = Decomposer.withDefaultSchemes(original, TestNetworks.INPUT);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (var l : d.plan().layers()) {
            if (!l.name().equals("output")) {
                ranks.put(l.name(), Math.max(1, d.plan().scheme(l.name()).rMax(l) / 4));
            }
        }
        RankConfiguration config = RankConfiguration.of(ranks);
        ComputationGraph stale = (ComputationGraph) d.decompose(config);
        ComputationGraph fresh = (ComputationGraph) d.decompose(config);
        List<String> set = BatchNormRecalibration.recalibrate(fresh, CALIBRATION);
        assertEquals(
                java.util.Set.of("stem_bn", "b1_bn1", "b1_bn2", "b1_proj_bn"),
                java.util.Set.copyOf(set),
                "every batch-norm layer, the projection shortcut's included");
        assertEquals(4, set.size());
        assertTrue(
                set.indexOf("stem_bn") < set.indexOf("b1_bn1") && set.indexOf("b1_bn1") < set.indexOf("b1_bn2"),
                "topological order: " + set);
        Map<String, INDArray> acts = fresh.feedForward(CALIBRATION.features(), false);
        for (GraphVertex v : fresh.getVertices()) {
            if (v.getLayer() instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn) {
                String in = fresh.getConfiguration()
                        .getVertexInputs()
                        .get(v.getVertexName())
                        .get(0);
                assertStatisticsOf(bn, acts.get(in), new int[] {0, 2, 3});
            }
        }
        double staleAcc = Evaluator.evaluate(stale, HELD_OUT).accuracy();
        double freshAcc = Evaluator.evaluate(fresh, HELD_OUT).accuracy();
        double originalAcc = Evaluator.evaluate(original, HELD_OUT).accuracy();
        assertTrue(
                freshAcc > staleAcc + 0.02,
                "re-estimated statistics recover held-out accuracy of a network truncated to r_max/4: stale " + staleAcc
                        + ", recalibrated " + freshAcc + ", original " + originalAcc);
        stale.close();
        fresh.close();
    }

    @Test
    void networksWithoutBatchNormAreLeftAsTheyAreAndTinyCalibrationSetsAreRejected() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        net.init();
        INDArray params = net.params().dup();
        assertEquals(List.of(), BatchNormRecalibration.recalibrate(net, CALIBRATION.first(50)));
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> BatchNormRecalibration.recalibrate(small(CNN2DFormat.NCHW, false), CALIBRATION.first(1)));
        assertTrue(e.getMessage().contains("at least 2 calibration images"), e.getMessage());
        assertEquals(params, net.params(), "no batch norm, nothing changes");
    }

    @Test
    void passesReuseTheirWorkspacesGiveIdenticalStatisticsAndLeaveTheCallersWorkspaceCurrent() {
        String first = BatchNormRecalibration.Pass.activationsId(0);
        MultiLayerNetwork a = small(CNN2DFormat.NCHW, true);
        MultiLayerNetwork b = small(CNN2DFormat.NCHW, true);
        BatchNormRecalibration.recalibrate(a, CALIBRATION);
        assertNull(Nd4j.getMemoryManager().getCurrentWorkspace(), "no workspace left current");
        assertFalse(Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread(), "no workspace left open");
        long size =
                Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(first).getCurrentSize();
        assertTrue(size > 0, "the pass's memory is kept for the next pass on this thread");

        WorkspaceConfiguration callers =
                WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(callers, "CALLERS_WORKSPACE")) {
            BatchNormRecalibration.recalibrate(b, CALIBRATION);
            assertSame(ws, Nd4j.getMemoryManager().getCurrentWorkspace(), "the caller's workspace is current again");
        }
        assertEquals(
                size,
                Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(first).getCurrentSize(),
                "the same network's second pass needs no more memory than the first");
        for (String bn : List.of("bn_conv", "bn_fc")) {
            assertEquals(
                    a.getLayer(bn).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN),
                    b.getLayer(bn).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN),
                    bn + ": a pass in reused memory gives the first pass's statistics");
        }
        assertEquals(
                a.getLayer("bn_conv").getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD),
                b.getLayer("bn_conv").getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
        assertEquals(
                a.getLayer("bn_fc").getParam(BatchNormalizationParamInitializer.GLOBAL_VAR),
                b.getLayer("bn_fc").getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));

        // above the bytes to retain, the pass destroys its workspaces
        BatchNormRecalibration.recalibrate(small(CNN2DFormat.NCHW, false), CALIBRATION, 0);
        assertFalse(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(first), "destroyed when over the limit");
    }

    static void assertStatisticsOf(
            org.deeplearning4j.nn.layers.normalization.BatchNormalization bn, INDArray in, int[] reduce) {
        var conf = (BatchNormalization) bn.conf().getLayer();
        INDArray mean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray var = conf.isUseLogStd()
                ? Transforms.pow(
                                Nd4j.valueArrayOf(
                                        bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                                                .shape(),
                                        10.0),
                                bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD),
                                false)
                        .muli(Transforms.pow(
                                Nd4j.valueArrayOf(
                                        bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                                                .shape(),
                                        10.0),
                                bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD),
                                false))
                : bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        String name = conf.getLayerName();
        // the oracle reduces in double: ND4J's float reduction over 300,000 activations is itself off by ~3e-4 of a
        // mean near zero, and the training kernel (TrainingKernels) accumulates in double
        INDArray exact = in.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        assertTrue(
                relativeDifference(
                                mean, exact.mean(reduce).castTo(mean.dataType()).reshape(mean.shape()))
                        < 1e-4,
                name + ": stored mean is its input's");
        assertTrue(
                relativeDifference(
                                var,
                                exact.var(false, reduce).castTo(var.dataType()).reshape(var.shape()))
                        < 1e-4,
                name + ": stored variance is its input's");
    }

    static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue()
                / Math.max(1e-12, b.norm2Number().doubleValue());
    }
}
