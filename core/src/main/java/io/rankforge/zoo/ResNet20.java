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
 * ResNet-20 of He et al. (the CIFAR family 6n+2 with n = 3; the ResNet-56 analogue): a 3×3 stem
 * convolution, three stages of three basic blocks (two 3×3 convolutions with batch norm), global
 * average pooling and a softmax output. The first block of stages 2 and 3 halves the feature map with
 * a stride-2 convolution, and its shortcut is a 1×1 stride-2 projection convolution plus batch norm.
 *
 * <p>Cheaper than the CIFAR original so that it trains on two shared cores: widths 8/16/32 instead of
 * 16/32/64 and a 2×2 max pool after the stem, so the stages run at 14×14, 7×7 and 4×4 (about 2.2 M
 * multiply-accumulates per image instead of about 33 M).
 *
 * <p>Vertex names: stem conv1/bn1/relu1/pool1; block {@code s{stage}b{block}_conv1, _bn1, _relu1, _conv2,
 * _bn2}, projection {@code s{stage}b1_proj, _proj_bn}, sum {@code s{stage}b{block}_add}, activation
 * {@code s{stage}b{block}_relu}; head {@code pool}, {@code output}. Convolutions have no bias.
 */
final class ResNet20 {
    static final int[] WIDTHS = {8, 16, 32};
    static final int BLOCKS_PER_STAGE = 3;

    private ResNet20() {}

    static ComputationGraphConfiguration configuration(long seed, int epochs, int height, int width, int channels) {
        ComputationGraphConfiguration.GraphBuilder g = Training.base(seed, epochs)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(height, width, channels));
        convBnRelu(g, "conv1", "bn1", "relu1", "input", WIDTHS[0], 1);
        g.addLayer(
                "pool1",
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build(),
                "relu1");
        String last = "pool1";
        for (int s = 0; s < WIDTHS.length; s++) {
            for (int bl = 1; bl <= BLOCKS_PER_STAGE; bl++) {
                String p = "s" + (s + 1) + "b" + bl;
                int stride = (s > 0 && bl == 1) ? 2 : 1;
                String branch = convBnRelu(g, p + "_conv1", p + "_bn1", p + "_relu1", last, WIDTHS[s], stride);
                g.addLayer(p + "_conv2", conv3x3(WIDTHS[s], 1), branch);
                g.addLayer(p + "_bn2", new BatchNormalization.Builder().build(), p + "_conv2");
                String shortcut = last;
                if (stride != 1) {
                    g.addLayer(
                            p + "_proj",
                            new ConvolutionLayer.Builder(1, 1)
                                    .nOut(WIDTHS[s])
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

    static ComputationGraph build(long seed, int epochs, int height, int width, int channels) {
        ComputationGraph net = new ComputationGraph(configuration(seed, epochs, height, width, channels));
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
