package io.rankforge.zoo;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LeNet-5 as Caffe and DL4J's zoo define it for MNIST: two 5×5 convolutions (20 and 50 filters), each
 * followed by 2×2 max pooling, a 500-unit dense layer and a softmax output. ReLU, no padding.
 * 28×28 → conv1 24×24 → pool1 12×12 → conv2 8×8 → pool2 4×4 → fc1 → output.
 */
final class LeNet5 {
    private LeNet5() {}

    static MultiLayerConfiguration configuration(long seed, int epochs, int height, int width, int channels) {
        return Training.base(seed, epochs)
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .name("conv1")
                        .nOut(20)
                        .stride(1, 1)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("pool1")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .name("conv2")
                        .nOut(50)
                        .stride(1, 1)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("pool2")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("fc1")
                        .nOut(500)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("output")
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(height, width, channels))
                .build();
    }

    static MultiLayerNetwork build(long seed, int epochs, int height, int width, int channels) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(seed, epochs, height, width, channels));
        net.init();
        return net;
    }
}
