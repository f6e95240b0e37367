package io.rankforge.zoo;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small VGG (the VGG-16 analogue for 28×28 images): three stages of two 3×3 convolutions
 * (8, 16, 32 channels; padding 1), each convolution followed by batch norm and ReLU, each stage by
 * 2×2 max pooling (28 → 14 → 7 → 3), then a 128-unit dense layer and the softmax output.
 * Widths are kept small so that an epoch of 55,000 images costs minutes on two shared cores
 * (about 1.9 M multiply-accumulates per image); {@link #WIDE_WIDTHS} (16, 32, 64: vgg-mini-w2, the CIFAR
 * widths, about 7.4 M) is the same network twice as wide, for the accuracy the narrow one misses.
 * Layer names: conv{stage}_{i}, bn{stage}_{i}, relu{stage}_{i}, pool{stage}, fc1, output.
 * Convolutions have no bias (the batch norm that follows has one).
 */
final class VggMini {
    static final int[] WIDTHS = {8, 16, 32};
    static final int[] WIDE_WIDTHS = {16, 32, 64};
    static final int CONVS_PER_STAGE = 2;
    static final int FC_UNITS = 128;

    private VggMini() {}

    static MultiLayerConfiguration configuration(
            int[] widths, long seed, int epochs, int height, int width, int channels) {
        NeuralNetConfiguration.ListBuilder b = Training.base(seed, epochs)
                .convolutionMode(ConvolutionMode.Truncate)
                .list();
        for (int s = 0; s < widths.length; s++) {
            for (int i = 1; i <= CONVS_PER_STAGE; i++) {
                VggBlocks.convBnRelu(b, (s + 1) + "_" + i, widths[s]);
            }
            b.layer(VggBlocks.maxPool("pool" + (s + 1), 2));
        }
        b.layer(new DenseLayer.Builder()
                .name("fc1")
                .nOut(FC_UNITS)
                .activation(Activation.RELU)
                .build());
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name("output")
                .nOut(10)
                .activation(Activation.SOFTMAX)
                .build());
        return b.setInputType(InputType.convolutional(height, width, channels)).build();
    }

    static MultiLayerNetwork build(int[] widths, long seed, int epochs, int height, int width, int channels) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(widths, seed, epochs, height, width, channels));
        net.init();
        return net;
    }
}
