package io.rankforge.decompose;

import io.rankforge.data.IdxDirectory;
import io.rankforge.data.ImageDataset;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small networks with every structure the decomposer must handle (first conv, BN, pooling, dropout,
 * stride 2 in Truncate and Same mode with asymmetric padding, a 1×1 projection shortcut, dense and output
 * layers), trained briefly on real Fashion-MNIST so that their weights and BN statistics are not random.
 */
public final class TestNetworks {
    public static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    /** Enough real images for weights and BN statistics that are not random, few enough to train in seconds. */
    public static final int TRAIN_IMAGES = 1500;

    public static final InputType INPUT = InputType.convolutional(28, 28, 1);
    private static ImageDataset train;
    private static ImageDataset heldOut;
    private static ImageDataset test;
    private static MultiLayerNetwork mln;
    private static ComputationGraph graph;

    private TestNetworks() {}

    /** The first {@code n} training images of the real Fashion-MNIST (fails clearly when the files are missing). */
    public static synchronized ImageDataset train(int n) {
        if (train == null) {
            load();
        }
        return train.first(n);
    }

    public static synchronized ImageDataset test(int n) {
        if (test == null) {
            load();
        }
        return test.first(n);
    }

    /** Training-file images that the networks were not trained on (the role of the held-out split). */
    public static synchronized ImageDataset heldOut(int n) {
        if (heldOut == null) {
            load();
        }
        return heldOut.first(n);
    }

    private static void load() {
        IdxDirectory d = IdxDirectory.of(FASHION);
        ImageDataset all = d.readTrain();
        train = all.first(TRAIN_IMAGES);
        heldOut = all.select(java.util.stream.IntStream.range(TRAIN_IMAGES, TRAIN_IMAGES + 1000)
                .toArray());
        test = d.readTest();
    }

    /** conv1 5×5 → BN → relu → maxpool → conv2 3×3 stride 2 pad 1 → relu → fc1 → dropout → output. */
    public static synchronized MultiLayerNetwork multiLayer() {
        if (mln != null) {
            return mln;
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(2e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .name("conv1")
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new ActivationLayer.Builder()
                        .name("relu1")
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                        .name("pool1")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .name("conv2")
                        .nOut(12)
                        .stride(2, 2)
                        .padding(1, 1)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("fc1")
                        .nOut(40)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DropoutLayer.Builder(0.8).name("drop").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("output")
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(INPUT)
                .build();
        mln = new MultiLayerNetwork(conf);
        mln.init();
        mln.fit(train(TRAIN_IMAGES).shuffledBatches(64, 1));
        return mln;
    }

    /**
     * stem 3×3 Same → BN+relu → maxpool (14×14); a residual block: main conv 3×3 stride 2 Same (14→7: asymmetric
     * padding, 0 before and 1 after) → BN+relu → conv 3×3 Same → BN; shortcut 1×1 stride 2 → BN; add → relu;
     * a 3×3 Truncate stride 2 pad 1 conv (7→4); fc (through a flattening preprocessor) → output.
     */
    public static synchronized ComputationGraph graph() {
        if (graph != null) {
            return graph;
        }
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(11)
                .updater(new Adam(5e-3))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "stem",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(8)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "in")
                .addLayer(
                        "stem_bn",
                        new BatchNormalization.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        "stem")
                .addLayer(
                        "pool",
                        new SubsamplingLayer.Builder(PoolingType.MAX)
                                .kernelSize(2, 2)
                                .stride(2, 2)
                                .build(),
                        "stem_bn")
                .addLayer(
                        "b1_conv1",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .stride(2, 2)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "pool")
                .addLayer(
                        "b1_bn1",
                        new BatchNormalization.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        "b1_conv1")
                .addLayer(
                        "b1_conv2",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(16)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "b1_bn1")
                .addLayer("b1_bn2", new BatchNormalization.Builder().build(), "b1_conv2")
                .addLayer(
                        "b1_proj",
                        new ConvolutionLayer.Builder(1, 1)
                                .nOut(16)
                                .stride(2, 2)
                                .hasBias(false)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "pool")
                .addLayer("b1_proj_bn", new BatchNormalization.Builder().build(), "b1_proj")
                .addVertex("b1_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1_bn2", "b1_proj_bn")
                .addLayer(
                        "b1_relu",
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        "b1_add")
                .addLayer(
                        "down",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(24)
                                .stride(2, 2)
                                .padding(1, 1)
                                .convolutionMode(ConvolutionMode.Truncate)
                                .activation(Activation.RELU)
                                .build(),
                        "b1_relu")
                .addLayer(
                        "fc",
                        new DenseLayer.Builder()
                                .nOut(32)
                                .activation(Activation.RELU)
                                .build(),
                        "down")
                .addLayer(
                        "output",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(10)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "fc")
                .setOutputs("output")
                .setInputTypes(INPUT)
                .build();
        graph = new ComputationGraph(conf);
        graph.init();
        graph.fit(train(TRAIN_IMAGES).shuffledBatches(32, 2));
        return graph;
    }

    public static Model[] both() {
        return new Model[] {multiLayer(), graph()};
    }
}
