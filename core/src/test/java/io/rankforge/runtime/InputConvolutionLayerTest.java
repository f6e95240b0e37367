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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.zoo.ZooArchitecture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The first convolution that leaves out the input's gradient while RankForge fits: its weight and bias gradients
 * against DL4J's (kernel sizes, padding, strides and dilations, including a stride that leaves input rows unused), the
 * rest of the step DL4J's bit for bit, DL4J's layer outside a fitting scope, and nothing of it in a saved network.
 */
class InputConvolutionLayerTest {
    private static final boolean ONEDNN = NativeBackend.selected() == NativeBackend.Build.ONEDNN_AVX2;

    @BeforeEach
    void denseLayersAsDl4jHasThem() {
        System.setProperty(TrainingKernels.DENSE_PROPERTY, "dl4j"); // this test is about the first convolution
    }

    @AfterEach
    void clearSwitches() {
        System.clearProperty(TrainingKernels.INPUT_GRADIENT_PROPERTY);
        System.clearProperty(TrainingKernels.DENSE_PROPERTY);
    }

    @Test
    void weightAndBiasGradientsAreDl4jsWithinRounding() {
        // kernel, padding, stride, dilation, activation
        Object[][] shapes = {
            {5, 0, 1, 1, Activation.RELU}, // lenet5's first layer
            {3, 1, 1, 1, Activation.IDENTITY}, // vgg-mini's and resnet-20's, before batch norm
            {3, 0, 1, 2, Activation.TANH}, // dilation 2
            {4, 3, 1, 3, Activation.RELU}, // an even kernel, dilation 3, padding 3
            {1, 0, 1, 1, Activation.RELU} // 1×1
        };
        for (Object[] shape : shapes) {
            String what = "kernel " + shape[0] + ", padding " + shape[1] + ", stride " + shape[2] + ", dilation "
                    + shape[3] + ", " + shape[4];
            MultiLayerNetwork reference =
                    network((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3], (Activation) shape[4]);
            MultiLayerNetwork fast = reference.clone();
            System.setProperty(TrainingKernels.INPUT_GRADIENT_PROPERTY, "dl4j");
            TrainingKernels.installForTraining(reference); // the same kernels but the input layer
            System.setProperty(TrainingKernels.INPUT_GRADIENT_PROPERTY, "skip");
            TrainingKernels.installForTraining(fast);
            if (!ONEDNN) {
                assertFalse(fast.getLayer(0) instanceof InputConvolutionLayer, "the plain build keeps DL4J's layer");
                return;
            }
            assertInstanceOf(InputConvolutionLayer.class, fast.getLayer(0), what);
            assertFalse(reference.getLayer(0) instanceof InputConvolutionLayer, what);

            DataSet b = batch(9, 21);
            Gradient expected = gradient(reference, b, false);
            Gradient actual = gradient(fast, b, true);
            for (String key : expected.gradientForVariable().keySet()) {
                INDArray e = expected.getGradientFor(key);
                INDArray a = actual.getGradientFor(key);
                if (key.startsWith("0_")) {
                    double scale = Math.max(1e-6, e.amaxNumber().doubleValue());
                    double diff = e.sub(a).amaxNumber().doubleValue();
                    assertTrue(diff <= 2e-5 * scale, what + ": " + key + " differs by " + diff + " of " + scale);
                    assertTrue(e.amaxNumber().doubleValue() > 0, what + ": " + key + " is not all zero");
                } else {
                    assertArrayEquals(
                            e.data().asFloat(), a.data().asFloat(), what + ": " + key + " must be DL4J's exactly");
                }
            }
            assertEquals(reference.score(), fast.score(), 0.0, what + ": the loss is the forward pass's, unchanged");
        }
    }

    @Test
    void outsideFittingTheLayerIsDl4jsAndGivesTheInputsGradient() {
        MultiLayerNetwork reference = network(5, 0, 1, 1, Activation.RELU);
        MultiLayerNetwork fast = reference.clone();
        TrainingKernels.installForTraining(fast);
        assertEquals(ONEDNN, fast.getLayer(0) instanceof InputConvolutionLayer);
        DataSet b = batch(6, 8);
        Gradient expected = gradient(reference, b, false);
        Gradient actual = gradient(fast, b, false);
        for (String key : expected.gradientForVariable().keySet()) {
            assertArrayEquals(
                    expected.getGradientFor(key).data().asFloat(),
                    actual.getGradientFor(key).data().asFloat(),
                    key + " outside a fitting scope must be DL4J's exactly");
        }

        MultiLayerNetwork plain = withoutOutputLayer();
        MultiLayerNetwork installed = plain.clone();
        TrainingKernels.installForTraining(installed);
        assertEquals(ONEDNN, installed.getLayer(0) instanceof InputConvolutionLayer);
        INDArray eps = Nd4j.rand(DataType.FLOAT, 6, 10);
        INDArray dl4j = inputGradient(plain, b.getFeatures(), eps);
        INDArray ours = inputGradient(installed, b.getFeatures(), eps);
        assertNotNull(ours, "a caller that asks for the input's gradient gets it");
        assertArrayEquals(dl4j.data().asFloat(), ours.data().asFloat());
        assertTrue(dl4j.amaxNumber().doubleValue() > 0);
    }

    @Test
    void lenet5TrainsAsDl4jDoesAndSavesAsPlainDl4j() throws Exception {
        Model[] pair = referenceAndFast("lenet5");
        MultiLayerNetwork reference = (MultiLayerNetwork) pair[0];
        MultiLayerNetwork fast = (MultiLayerNetwork) pair[1];
        assertEquals("skip", TrainingKernels.inputGradientLabel(), "the default");
        TrainingKernels.installForTraining(fast); // idempotent
        assertEquals(ONEDNN, fast.getLayer(0) instanceof InputConvolutionLayer);
        String name = fast.getLayer(0).conf().getLayer().getLayerName();
        assertNotNull(name, "the zoo names its layers");
        assertSame(fast.getLayer(0), fast.getLayer(name), "the network looks the layer up by name too");
        trainSideBySide(reference, fast, 5, 50, 1e-5);
        INDArray diff = reference.params().sub(fast.params());
        double scale = reference.params().amaxNumber().doubleValue();
        assertTrue(
                diff.amaxNumber().doubleValue() <= 1e-4 * scale, "parameters after 5 Adam steps: " + diff.amaxNumber());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(fast, bytes, false);
        MultiLayerNetwork loaded =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), false);
        for (MultiLayerNetwork copy : new MultiLayerNetwork[] {loaded, fast.clone()}) {
            for (Layer l : copy.getLayers()) {
                assertFalse(l instanceof InputConvolutionLayer, "a saved or cloned network is plain DL4J");
            }
            assertEquals(fast.params(), copy.params());
        }
    }

    @Test
    void resnet20sStemInAGraphTrainsAsDl4jDoes() {
        Model[] pair = referenceAndFast("resnet-20");
        ComputationGraph reference = (ComputationGraph) pair[0];
        ComputationGraph fast = (ComputationGraph) pair[1];
        TrainingKernels.installForTraining(fast); // idempotent
        assertEquals(ONEDNN ? 1 : 0, TrainingFixtures.count(fast.getLayers(), InputConvolutionLayer.class));
        for (GraphVertex v : fast.getVertices()) {
            if (v instanceof LayerVertex lv && lv.getLayer() instanceof InputConvolutionLayer) {
                assertTrue(
                        fast.getVertices()[lv.getInputVertices()[0].getVertexIndex()].isInputVertex(),
                        "only the layer that reads the network's input");
                assertSame(lv.getLayer(), fast.getLayer(lv.getVertexName()), "the graph looks it up by name");
            }
        }
        trainSideBySide(reference, fast, 4, 80, 1e-4);
        // the stem's bias feeds batch norm, so its gradient is rounding noise that Adam turns into full steps:
        // compare the function, not the parameters
        INDArray x = batch(8, 90).getFeatures();
        INDArray expected = reference.outputSingle(false, x);
        INDArray actual = fast.outputSingle(false, x);
        assertTrue(
                expected.equalsWithEps(actual, 1e-3),
                "outputs after 4 steps: " + expected.sub(actual).amaxNumber());
        assertEquals(0, TrainingFixtures.count(fast.clone().getLayers(), InputConvolutionLayer.class));
    }

    @Test
    void aNetworkFittedBeforeKeepsItsUpdaterState() {
        MultiLayerNetwork net = network(5, 0, 1, 1, Activation.RELU);
        fit(net, batch(8, 3)); // DL4J's layers and updater, with Adam's moments
        INDArray state = net.getUpdater().getStateViewArray().dup();
        assertTrue(state.amaxNumber().doubleValue() > 0);
        TrainingKernels.installForTraining(net);
        assertEquals(ONEDNN, net.getLayer(0) instanceof InputConvolutionLayer);
        assertArrayEquals(
                state.data().asFloat(),
                net.getUpdater().getStateViewArray().data().asFloat());
        net.setLearningRate(1e-4); // DL4J rebuilds its updater from the layers: the replaced one among them
        try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
            fit(net, batch(8, 4));
        }
        assertTrue(Double.isFinite(net.score()));
        assertFalse(state.equalsWithEps(net.getUpdater().getStateViewArray(), 1e-9), "the step updated the state");
    }

    @Test
    void scopesNestAndCloseOnce() {
        assertFalse(TrainingKernels.isFitting());
        try (TrainingKernels.Fitting outer = TrainingKernels.fitting()) {
            TrainingKernels.Fitting inner = TrainingKernels.fitting();
            inner.close();
            inner.close();
            assertTrue(TrainingKernels.isFitting(), "the outer scope is still open");
        }
        assertFalse(TrainingKernels.isFitting());
    }

    @Test
    void switchedOffAndBadValuesNamed() {
        System.setProperty(TrainingKernels.INPUT_GRADIENT_PROPERTY, "dl4j");
        MultiLayerNetwork net = network(5, 0, 1, 1, Activation.RELU);
        TrainingKernels.installForTraining(net);
        assertFalse(net.getLayer(0) instanceof InputConvolutionLayer);
        assertEquals("dl4j", TrainingKernels.inputGradientLabel());
        assertRejected(TrainingKernels.INPUT_GRADIENT_PROPERTY, "RANKFORGE_INPUT_GRADIENT", "none", () -> {
            TrainingKernels.inputGradientLabel();
        });
    }

    @Test
    void stridedSameModeAndLaterConvolutionsKeepDl4jsLayers() {
        MultiLayerNetwork strided = network(7, 3, 2, 1, Activation.RELU); // an ImageNet stem's shape
        TrainingKernels.installForTraining(strided);
        assertFalse(strided.getLayer(0) instanceof InputConvolutionLayer, "stride 2 keeps DL4J's layer");

        MultiLayerNetwork same = imageNetwork(
                new NeuralNetConfiguration.Builder().seed(3).convolutionMode(ConvolutionMode.Same),
                new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build());
        TrainingKernels.installForTraining(same);
        assertFalse(same.getLayer(0) instanceof InputConvolutionLayer, "Same mode may pad unevenly");

        MultiLayerNetwork pooledFirst = imageNetwork(
                new NeuralNetConfiguration.Builder().seed(3),
                new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(),
                new ConvolutionLayer.Builder(3, 3).nOut(4).build());
        TrainingKernels.installForTraining(pooledFirst);
        for (Layer l : pooledFirst.getLayers()) {
            assertFalse(l instanceof InputConvolutionLayer, "only the network's first layer reads the input");
        }
    }

    /** conv (the shape under test, 6 filters) on 28×28 images, then a softmax output layer. */
    private static MultiLayerNetwork network(int kernel, int padding, int stride, int dilation, Activation a) {
        return imageNetwork(
                new NeuralNetConfiguration.Builder()
                        .seed(7)
                        .updater(new Adam(1e-3))
                        .l2(1e-4),
                new ConvolutionLayer.Builder(kernel, kernel)
                        .padding(padding, padding)
                        .stride(stride, stride)
                        .dilation(dilation, dilation)
                        .nOut(6)
                        .activation(a)
                        .build());
    }

    /**
     * The zoo network {@code id} twice, prepared for training with every kernel: the reference with DL4J's first
     * layer, the other with RankForge's.
     */
    private static Model[] referenceAndFast(String id) {
        Model reference = ZooArchitecture.byId(id).build(4);
        Model fast = reference instanceof MultiLayerNetwork n ? n.clone() : ((ComputationGraph) reference).clone();
        System.setProperty(TrainingKernels.INPUT_GRADIENT_PROPERTY, "dl4j");
        TrainingKernels.installForTraining(reference);
        System.clearProperty(TrainingKernels.INPUT_GRADIENT_PROPERTY);
        TrainingKernels.installForTraining(fast);
        return new Model[] {reference, fast};
    }

    /**
     * {@code steps} training steps of both networks on the same batches, {@code fast} inside a fitting scope; the
     * losses agree to a relative {@code tolerance} at every step.
     */
    private static void trainSideBySide(Model reference, Model fast, int steps, long seed, double tolerance) {
        for (int step = 0; step < steps; step++) {
            DataSet b = batch(16, seed + step);
            fit(reference, b);
            try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
                fit(fast, b);
            }
            assertEquals(reference.score(), fast.score(), tolerance * reference.score(), "loss at step " + step);
        }
    }

    /** conv 5×5 (6 filters, ReLU) and a dense layer: DL4J computes the input's gradient from an epsilon only without an
     * output layer. */
    private static MultiLayerNetwork withoutOutputLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(6)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(10)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        net.init();
        return net;
    }

    /** DL4J's public backward pass from {@code eps} at the output: the gradient with respect to the input. */
    private static INDArray inputGradient(MultiLayerNetwork net, INDArray x, INDArray eps) {
        net.setInput(x);
        net.feedForward(true, false);
        Pair<Gradient, INDArray> p = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        return p.getSecond() == null ? null : p.getSecond().dup();
    }
}
