package io.rankforge.runtime;

import static io.rankforge.runtime.TrainingFixtures.batch;
import static io.rankforge.runtime.TrainingFixtures.fit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.zoo.ZooArchitecture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The exact speed-ups of the training step (the ReLU backward pass on bits, DL4J's cache of convolution outputs)
 * against DL4J without them: the same gradient element for element, the same parameters after training steps of
 * the zoo's networks, and nothing of them left in a saved or cloned network's layers.
 */
class ExactSpeedupsTest {
    @BeforeEach
    void denseLayersAsDl4jHasThem() {
        // MatmulDenseLayer rounds differently; it has its own test (MatmulDenseLayerTest)
        System.setProperty(TrainingKernels.DENSE_PROPERTY, "dl4j");
    }

    @AfterEach
    void clearSwitches() {
        System.clearProperty(TrainingKernels.EXACT_PROPERTY);
        System.clearProperty(TrainingKernels.DENSE_PROPERTY);
    }

    /**
     * Random activations, longer than one chunk of the loops and not a multiple of it, with every kind of float at both
     * ends: zeros of both signs, denormals, extremes, infinities, NaNs of both signs.
     */
    private static INDArray activationsWithSpecialValues() {
        float[] special = {
            0f,
            -0f,
            1e-45f,
            -1e-45f,
            Float.MIN_NORMAL,
            3.5f,
            -2f,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN,
            Float.intBitsToFloat(0xffc00001),
            Float.intBitsToFloat(0xff800001)
        };
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 41, 37);
        float[] flat = x.data().asFloat();
        System.arraycopy(special, 0, flat, 0, special.length);
        System.arraycopy(special, 0, flat, flat.length - special.length, special.length);
        return Nd4j.createFromArray(flat).reshape(x.shape());
    }

    @Test
    void reluForwardIsDl4jsBitForBit() {
        INDArray x = activationsWithSpecialValues();
        INDArray expected = new ActivationReLU().getActivation(x.dup(), true);
        INDArray actual = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        ReluActivationLayer.forward(x, actual);
        float[] in = x.data().asFloat();
        float[] want = expected.data().asFloat();
        float[] got = actual.data().asFloat();
        for (int i = 0; i < want.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(want[i]),
                    Float.floatToRawIntBits(got[i]),
                    "element " + i + ": x=" + in[i] + " DL4J " + want[i] + " RankForge " + got[i]);
        }
    }

    @Test
    void reluLayerForwardWhileTrainingKeepsItsInputAndMatchesDl4j() {
        MultiLayerNetwork net =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(1);
        TrainingKernels.install(net);
        INDArray images = batch(8, 5).getFeatures();
        List<INDArray> fast = net.feedForward(images, true);
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
        MultiLayerNetwork plain =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(1);
        TrainingKernels.install(plain); // the batch-norm kernel alike in both
        assertEquals(0, count(plain.getLayers(), ReluActivationLayer.class));
        List<INDArray> reference = plain.feedForward(images, true);
        assertEquals(reference.size(), fast.size());
        for (int i = 0; i < reference.size(); i++) {
            assertArrayEquals(
                    reference.get(i).data().asFloat(), fast.get(i).data().asFloat(), "activation " + i);
        }
        int relu = 3; // conv1_1, bn1_1, relu1_1: the ReLU's input (the batch norm's output) is left as it was
        assertInstanceOf(ReluActivationLayer.class, net.getLayer(relu - 1));
        assertTrue(fast.get(relu - 1).minNumber().doubleValue() < 0, "the batch norm's output has negative values");
        assertEquals(0.0, fast.get(relu).minNumber().doubleValue(), "the ReLU's output has none");
    }

    @Test
    void reluGradientIsDl4jsOnEveryKindOfInput() {
        INDArray x = activationsWithSpecialValues();
        float[] flat = x.data().asFloat();
        INDArray dy = Nd4j.randn(DataType.FLOAT, x.shape());
        dy.putScalar(0, 0, 3, 0, Float.NaN);

        INDArray expected = new ActivationReLU().backprop(x.dup(), dy).getFirst();
        INDArray actual = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        ReluActivationLayer.gradient(x, dy, actual);
        float[] e = expected.data().asFloat();
        float[] a = actual.data().asFloat();
        for (int i = 0; i < e.length; i++) {
            // the same number (a zero's sign aside: DL4J's is +0 too, but only the value is promised)
            assertTrue(
                    e[i] == a[i] || (Float.isNaN(e[i]) && Float.isNaN(a[i])),
                    "element " + i + ": x=" + flat[i] + " dy=" + dy.data().getFloat(i) + " DL4J " + e[i] + " RankForge "
                            + a[i]);
        }
    }

    @Test
    void trainingStepsGiveDl4jsParametersOnTheZoosNetworks() {
        for (String id : new String[] {"vgg-mini", "resnet-20", "lenet5"}) {
            System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
            Model reference = ZooArchitecture.byId(id).build(5);
            TrainingKernels.installForTraining(reference); // the batch-norm kernel alike in both
            System.setProperty(TrainingKernels.EXACT_PROPERTY, "on");
            Model fast = ZooArchitecture.byId(id).build(5);
            TrainingKernels.installForTraining(fast);
            assertEquals(CacheMode.DEVICE, cacheMode(fast), id);
            assertEquals(CacheMode.NONE, cacheMode(reference), id);
            for (int step = 0; step < 3; step++) {
                DataSet b = batch(12, 40 + step);
                fit(reference, b);
                fit(fast, b);
            }
            // bits, not INDArray.equals (which allows a difference of 1e-5)
            assertArrayEquals(
                    reference.params().data().asFloat(),
                    fast.params().data().asFloat(),
                    id + ": parameters after 3 steps must be DL4J's exactly");
        }
    }

    @Test
    void reluLayersAreReplacedWhereTheNetworkLooksThemUp() {
        MultiLayerNetwork vgg =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(1);
        int relus = count(vgg.getLayers(), org.deeplearning4j.nn.layers.ActivationLayer.class);
        assertEquals(6, relus);
        assertEquals(6 + 6, TrainingKernels.install(vgg), "six batch norms and six ReLUs");
        assertEquals(6 + 6, TrainingKernels.install(vgg), "idempotent");
        assertEquals(6, count(vgg.getLayers(), ReluActivationLayer.class));
        assertInstanceOf(ReluActivationLayer.class, vgg.getLayer("relu1_1"), "the layer map too");
        Layer replaced = vgg.getLayer("relu1_1");
        assertSame(vgg.getLayers()[replaced.getIndex()], replaced, "the index is the original's");

        ComputationGraph resnet =
                (ComputationGraph) ZooArchitecture.byId("resnet-20").build(1);
        TrainingKernels.install(resnet);
        for (Layer l : resnet.getLayers()) {
            assertTrue(!(l.getClass() == org.deeplearning4j.nn.layers.ActivationLayer.class), "left: " + l);
            if (l instanceof ReluActivationLayer r) {
                assertSame(r, resnet.getLayer(r.getConfig().getLayerName()), "the graph's vertex holds it");
            }
        }
    }

    @Test
    void onlyPlainReluIsReplaced() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new ActivationLayer.Builder()
                        .activation(new ActivationLReLU(0.1))
                        .build())
                .layer(new ActivationLayer.Builder()
                        .activation(new ActivationReLU(6.0, 0.0, 0.0))
                        .build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nOut(3)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build());
        net.init();
        assertEquals(1, TrainingKernels.install(net), "leaky ReLU and ReLU6 keep DL4J's pass");
        assertInstanceOf(ReluActivationLayer.class, net.getLayer(3));
        assertEquals(
                org.deeplearning4j.nn.layers.ActivationLayer.class,
                net.getLayer(2).getClass());
    }

    @Test
    void batchNormInferenceGivesOneDnnsOutputBitForBit() throws Exception {
        Field helper = BatchNormalization.class.getDeclaredField("helper");
        helper.setAccessible(true);
        for (String id : new String[] {"vgg-mini", "resnet-20"}) {
            Model reference = ZooArchitecture.byId(id).build(6);
            Layer[] layers = reference instanceof MultiLayerNetwork n
                    ? n.getLayers()
                    : ((ComputationGraph) reference).getLayers();
            int bns = 0;
            Nd4j.getRandom().setSeed(11);
            for (Layer l : layers) {
                if (l instanceof BatchNormalization bn) {
                    // running statistics, scale and shift away from their initial 0, 1, 1, 0, log-std storage included
                    long[] shape = bn.getParam("gamma").shape();
                    bn.getParam("gamma").assign(Nd4j.rand(DataType.FLOAT, shape).muli(2));
                    bn.getParam("beta").assign(Nd4j.randn(DataType.FLOAT, shape));
                    bn.getParam("mean").assign(Nd4j.randn(DataType.FLOAT, shape).muli(0.5));
                    if (bn.paramTable().containsKey("log10stdev")) {
                        bn.getParam("log10stdev")
                                .assign(Nd4j.rand(DataType.FLOAT, shape).subi(0.6));
                    } else {
                        bn.getParam("var")
                                .assign(Nd4j.rand(DataType.FLOAT, shape).muli(3).addi(0.01));
                    }
                    bns++;
                }
            }
            assertTrue(bns > 0, id + " has batch norm");
            Model fast = reference instanceof MultiLayerNetwork n ? n.clone() : ((ComputationGraph) reference).clone();
            TrainingKernels.install(fast);
            Layer[] fastLayers =
                    fast instanceof MultiLayerNetwork n ? n.getLayers() : ((ComputationGraph) fast).getLayers();
            for (Layer l : fastLayers) {
                if (l instanceof BatchNormalization bn) {
                    BatchNormKernel k = assertInstanceOf(BatchNormKernel.class, helper.get(bn));
                    assertEquals(
                            NativeBackend.selected() == NativeBackend.Build.ONEDNN_AVX2,
                            k.infers(),
                            id + ": inference is the kernel's exactly where DL4J's helper is oneDNN's");
                }
            }
            // 37 images: planes of odd length and a batch that fills no vector lane evenly
            INDArray x = batch(37, 12).getFeatures();
            for (int pass = 0; pass < 2; pass++) {
                assertArrayEquals(
                        output(reference, x).data().asFloat(),
                        output(fast, x).data().asFloat(),
                        id + ": inference output must be oneDNN's bit for bit (pass " + pass + ")");
            }
        }
    }

    @Test
    void savedAndClonedNetworksArePlainDl4j() throws Exception {
        MultiLayerNetwork vgg =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(2);
        TrainingKernels.install(vgg);
        fit(vgg, batch(8, 9));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(vgg, bytes, false);
        MultiLayerNetwork loaded =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), false);
        for (MultiLayerNetwork copy : new MultiLayerNetwork[] {loaded, vgg.clone()}) {
            assertEquals(0, count(copy.getLayers(), ReluActivationLayer.class));
            assertEquals(vgg.params(), copy.params());
            INDArray x = batch(4, 10).getFeatures();
            assertEquals(vgg.output(x, false), copy.output(x, false));
        }
    }

    @Test
    void switchedOffAndBadValuesNamed() {
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "off");
        MultiLayerNetwork vgg =
                (MultiLayerNetwork) ZooArchitecture.byId("vgg-mini").build(1);
        assertEquals(6, TrainingKernels.install(vgg), "the batch norms only");
        assertEquals(CacheMode.NONE, vgg.getLayerWiseConfigurations().getCacheMode());
        assertEquals("off", TrainingKernels.exactSpeedupsLabel());
        System.setProperty(TrainingKernels.EXACT_PROPERTY, "yes");
        UserInputException e = assertThrows(UserInputException.class, TrainingKernels::exactSpeedupsLabel);
        assertTrue(
                e.getMessage().contains("RANKFORGE_EXACT_SPEEDUPS")
                        && e.getMessage().contains("'yes'"),
                e.getMessage());
        System.clearProperty(TrainingKernels.EXACT_PROPERTY);
        assertEquals("on", TrainingKernels.exactSpeedupsLabel());
    }

    private static CacheMode cacheMode(Model m) {
        return m instanceof MultiLayerNetwork n
                ? n.getLayerWiseConfigurations().getCacheMode()
                : ((ComputationGraph) m).getConfiguration().getCacheMode();
    }

    private static int count(Layer[] layers, Class<?> type) {
        return (int) Arrays.stream(layers).filter(l -> l.getClass() == type).count();
    }

    private static INDArray output(Model m, INDArray x) {
        return m instanceof MultiLayerNetwork n ? n.output(x, false) : ((ComputationGraph) m).output(false, x)[0];
    }
}
