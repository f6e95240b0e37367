package io.rankforge.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The CIFAR ResNets of He et al. (depth 6n+2): a 3×3 stem convolution, three stages of n basic blocks
 * (two 3×3 convolutions with batch norm), global average pooling and a softmax output. The first block of
 * stages 2 and 3 halves the feature map with a stride-2 convolution, and its shortcut is a 1×1 stride-2
 * projection convolution plus batch norm (option B).
 *
 * <p>Two shapes ({@link #RESNET_20}, {@link #cifar(int)}): resnet-20 is cheaper than the CIFAR original so that it
 * trains on two shared cores: widths 8/16/32 and a 2×2 max pool after the stem, so its stages run at 14×14, 7×7
 * and 4×4 (about 2.2 M multiply-accumulates per image). resnet-32 and resnet-56 have the paper's widths
 * 16/32/64 and no stem pool, so their stages run at 28×28, 14×14 and 7×7 (the 28×28 analogue of CIFAR's
 * 32/16/8).
 *
 * <p>Vertex names: stem conv1/bn1/relu1 (and pool1 where the shape has it); block
 * {@code s{stage}b{block}_conv1, _bn1, _relu1, _conv2, _bn2}, projection {@code s{stage}b1_proj, _proj_bn},
 * sum {@code s{stage}b{block}_add}, activation {@code s{stage}b{block}_relu}; head
 * {@code pool}, {@code output}. Convolutions have no bias.
 */
final class ResNet {
    /** resnet-20's shape: n = 3, widths 8/16/32, max pool after the stem. */
    static final Shape RESNET_20 = new Shape(3, new int[] {8, 16, 32}, true);

    /** The paper's CIFAR widths 16/32/64 with n blocks per stage, no stem pool. */
    static Shape cifar(int blocksPerStage) {
        return new Shape(blocksPerStage, new int[] {16, 32, 64}, false);
    }

    /**
     * @param blocksPerStage n of depth 6n+2
     * @param widths         channels of the three stages
     * @param stemPool       whether a 2×2 max pool follows the stem (halves every stage's feature map)
     */
    record Shape(int blocksPerStage, int[] widths, boolean stemPool) {
        Shape {
            if (blocksPerStage < 1 || widths.length != 3) {
                throw new IllegalArgumentException("blocksPerStage must be >= 1 and widths must have 3 entries");
            }
            widths = widths.clone();
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        int depth() {
            return 6 * blocksPerStage + 2;
        }
    }

    private ResNet() {}

    static ComputationGraphConfiguration configuration(
            Shape shape, long seed, int epochs, int height, int width, int channels) {
        int[] widths = shape.widths();
        ComputationGraphConfiguration.GraphBuilder g = Training.base(seed, epochs)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(height, width, channels));
        String last = convBnRelu(g, "conv1", "bn1", "relu1", "input", widths[0], 1);
        if (shape.stemPool()) {
            g.addLayer(
                    "pool1",
                    new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                            .kernelSize(2, 2)
                            .stride(2, 2)
                            .build(),
                    last);
            last = "pool1";
        }
        for (int s = 0; s < widths.length; s++) {
            for (int bl = 1; bl <= shape.blocksPerStage(); bl++) {
                String p = "s" + (s + 1) + "b" + bl;
                int stride = (s > 0 && bl == 1) ? 2 : 1;
                String branch = convBnRelu(g, p + "_conv1", p + "_bn1", p + "_relu1", last, widths[s], stride);
                g.addLayer(p + "_conv2", conv3x3(widths[s], 1), branch);
                g.addLayer(p + "_bn2", new BatchNormalization.Builder().build(), p + "_conv2");
                String shortcut = last;
                if (stride != 1) {
                    g.addLayer(
                            p + "_proj",
                            new ConvolutionLayer.Builder(1, 1)
                                    .nOut(widths[s])
                                    .stride(stride, stride)
                                    .padding(0, 0)
                                    .hasBias(false)
                                    .activation(Activation.IDENTITY)
                                    .build(),
                            last);
                    g.addLayer(p + "_proj_bn", new BatchNormalization.Builder().build(), p + "_proj");
                    shortcut = p + "_proj_bn";
                }
                g.addVertex(p + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "_bn2", shortcut);
                g.addLayer(
                        p + "_relu",
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build(),
                        p + "_add");
                last = p + "_relu";
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        g.addLayer(
                "output",
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build(),
                "pool");
        g.setOutputs("output");
        return g.build();
    }

    static ComputationGraph build(Shape shape, long seed, int epochs, int height, int width, int channels) {
        ComputationGraph net = new ComputationGraph(configuration(shape, seed, epochs, height, width, channels));
        net.init();
        return net;
    }

    private static String convBnRelu(
            ComputationGraphConfiguration.GraphBuilder g,
            String conv,
            String bn,
            String relu,
            String input,
            int channels,
            int stride) {
        g.addLayer(conv, conv3x3(channels, stride), input);
        g.addLayer(bn, new BatchNormalization.Builder().build(), conv);
        g.addLayer(
                relu, new ActivationLayer.Builder().activation(Activation.RELU).build(), bn);
        return relu;
    }

    private static ConvolutionLayer conv3x3(int channels, int stride) {
        return new ConvolutionLayer.Builder(3, 3)
                .nOut(channels)
                .stride(stride, stride)
                .padding(1, 1)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build();
    }
}
