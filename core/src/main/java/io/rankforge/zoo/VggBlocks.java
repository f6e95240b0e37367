package io.rankforge.zoo;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/** The building blocks the VGG-style zoo networks ({@link VggMini}, {@link Vgg16}) share. */
final class VggBlocks {
    private VggBlocks() {}

    /**
     * Appends conv{id} (3×3, padding 1, stride 1, no bias: the batch norm that follows has one), bn{id} and
     * relu{id}.
     */
    static void convBnRelu(NeuralNetConfiguration.ListBuilder b, String id, int channels) {
        b.layer(new ConvolutionLayer.Builder(3, 3)
                .name("conv" + id)
                .nOut(channels)
                .stride(1, 1)
                .padding(1, 1)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .build());
        b.layer(new BatchNormalization.Builder().name("bn" + id).build());
        b.layer(new ActivationLayer.Builder()
                .name("relu" + id)
                .activation(Activation.RELU)
                .build());
    }

    /** A max pool whose kernel equals its stride (non-overlapping windows). */
    static SubsamplingLayer maxPool(String name, int size) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .name(name)
                .kernelSize(size, size)
                .stride(size, size)
                .build();
    }
}
