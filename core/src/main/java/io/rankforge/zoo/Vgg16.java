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
 * VGG-16's shape for 28×28 images: 13 3×3 convolutions (padding 1, no bias, each followed by batch norm and
 * ReLU) in five stages of 2, 2, 3, 3, 3, then two 128-unit dense layers and the softmax output (16 weight
 * layers). Widths are VGG-16's 64/128/256/512/512 divided by four: 16/32/64/128/128.
 *
 * <p>Pooling: VGG-16 halves the map after each of its five stages (224 → 7); five halvings of 28 would leave
 * 28 → 14 → 7 → 3 → 1 → 0. So stages 1–3 end in a 2×2 stride-2 max pool (28 → 14 → 7 → 3), stage 4 runs at
 * 3×3 without pooling, and stage 5 ends in a 3×3 stride-3 max pool (3 → 1) that sees the whole map; every
 * convolution thus sees a map of at least 3×3, so its 3×3 kernel is not reduced to its centre tap.
 *
 * <p>Layer names: conv{stage}_{i}, bn{stage}_{i}, relu{stage}_{i}, pool1, pool2, pool3, pool5, fc1, fc2, output.
 */
final class Vgg16 {
    static final int[] WIDTHS = {16, 32, 64, 128, 128};
    static final int[] CONVS_PER_STAGE = {2, 2, 3, 3, 3};
    static final int FC_UNITS = 128;

    private Vgg16() {}

    static MultiLayerConfiguration configuration(long seed, int epochs, int height, int width, int channels) {
        NeuralNetConfiguration.ListBuilder b = Training.base(seed, epochs)
                .convolutionMode(ConvolutionMode.Truncate)
                .list();
        for (int s = 0; s < WIDTHS.length; s++) {
            for (int i = 1; i <= CONVS_PER_STAGE[s]; i++) {
                VggBlocks.convBnRelu(b, (s + 1) + "_" + i, WIDTHS[s]);
            }
            int stage = s + 1;
            if (stage <= 3) {
                b.layer(VggBlocks.maxPool("pool" + stage, 2));
            } else if (stage == 5) {
                b.layer(VggBlocks.maxPool("pool5", 3));
            }
        }
        for (String fc : new String[] {"fc1", "fc2"}) {
            b.layer(new DenseLayer.Builder()
                    .name(fc)
                    .nOut(FC_UNITS)
                    .activation(Activation.RELU)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name("output")
                .nOut(10)
                .activation(Activation.SOFTMAX)
                .build());
        return b.setInputType(InputType.convolutional(height, width, channels)).build();
    }

    static MultiLayerNetwork build(long seed, int epochs, int height, int width, int channels) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(seed, epochs, height, width, channels));
        net.init();
        return net;
    }
}
