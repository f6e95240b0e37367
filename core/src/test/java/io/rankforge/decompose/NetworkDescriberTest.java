package io.rankforge.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.model.NetworkDescription;
import io.rankforge.spectrum.Scheme;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Shapes, MACs and parameters of the test networks against a hand computation. */
class NetworkDescriberTest {

    @Test
    void multiLayerNetworkByHand() {
        NetworkDescription d = NetworkDescriber.describe(TestNetworks.multiLayer(), TestNetworks.INPUT);
        assertEquals(
                List.of("conv1", "conv2", "fc1", "output"),
                d.layers().stream().map(LayerSpec::name).toList());
        // conv1 5×5 1→6 on 28×28 (Truncate, no padding) → 24×24
        assertEquals(LayerSpec.convolution("conv1", 1, 6, 5, 5, 1, 1, 0, 0, 28, 28, 24, 24, true), d.layer("conv1"));
        // max-pool 2×2 → 12×12; conv2 3×3 stride 2 pad 1 6→12 → floor((12 + 2 − 3) / 2) + 1 = 6
        assertEquals(LayerSpec.convolution("conv2", 6, 12, 3, 3, 2, 2, 1, 1, 12, 12, 6, 6, true), d.layer("conv2"));
        assertEquals(LayerSpec.dense("fc1", 12 * 6 * 6, 40, true), d.layer("fc1"));
        assertEquals(LayerSpec.dense("output", 40, 10, true), d.layer("output"));
        long macs = 1 * 25 * 6 * 24 * 24 // conv1   86,400
                + 6 * 9 * 12 * 6 * 6 // conv2   23,328
                + 432 * 40 // fc1     17,280
                + 40 * 10; // output     400
        long params = (25 * 6 + 6) // conv1
                + 4 * 6 // bn1: gamma, beta, mean, var
                + (6 * 9 * 12 + 12) // conv2
                + (432 * 40 + 40) // fc1
                + (40 * 10 + 10); // output
        assertEquals(127_408, macs);
        assertEquals(macs, d.networkMacs());
        assertEquals(macs, d.compressibleMacs());
        assertEquals(18_570, params);
        assertEquals(params, d.networkParams());
        assertEquals(params - 24, d.compressibleParams());
        assertEquals(List.of(), d.unsupported());
    }

    @Test
    void computationGraphByHand() {
        NetworkDescription d = NetworkDescriber.describe(TestNetworks.graph(), TestNetworks.INPUT);
        // DL4J's topological order (the projection comes right after the block's first convolution)
        assertEquals(
                List.of("stem", "b1_conv1", "b1_proj", "b1_conv2", "down", "fc", "output"),
                d.layers().stream().map(LayerSpec::name).toList());
        // Same mode: stride 1 keeps 28×28 (padding 1 each side); after max-pooling to 14×14, stride 2 gives
        // ceil(14/2) = 7 with total padding (7 − 1)·2 + 3 − 14 = 1: top/left 0, bottom/right 1
        assertEquals(LayerSpec.convolution("stem", 1, 8, 3, 3, 1, 1, 1, 1, 28, 28, 28, 28, true), d.layer("stem"));
        assertEquals(
                LayerSpec.convolution("b1_conv1", 8, 16, 3, 3, 2, 2, 0, 0, 14, 14, 7, 7, true), d.layer("b1_conv1"));
        assertEquals(
                LayerSpec.convolution("b1_conv2", 16, 16, 3, 3, 1, 1, 1, 1, 7, 7, 7, 7, true), d.layer("b1_conv2"));
        assertEquals(
                LayerSpec.convolution("b1_proj", 8, 16, 1, 1, 2, 2, 0, 0, 14, 14, 7, 7, false), d.layer("b1_proj"));
        // Truncate, stride 2, pad 1: floor((7 + 2 − 3) / 2) + 1 = 4
        assertEquals(LayerSpec.convolution("down", 16, 24, 3, 3, 2, 2, 1, 1, 7, 7, 4, 4, true), d.layer("down"));
        assertEquals(LayerSpec.dense("fc", 24 * 4 * 4, 32, true), d.layer("fc"));
        long macs = 9 * 8 * 28 * 28 // stem       56,448
                + 8 * 9 * 16 * 7 * 7 // b1_conv1   56,448
                + 16 * 9 * 16 * 7 * 7 // b1_conv2  112,896
                + 8 * 16 * 7 * 7 // b1_proj     6,272
                + 16 * 9 * 24 * 4 * 4 // down       55,296
                + 384 * 32
                + 32 * 10; // fc, output 12,608
        long params = 80 + 4 * 8 + 1168 + 4 * 16 + 2320 + 4 * 16 + 128 + 4 * 16 + 3480 + (384 * 32 + 32) + 330;
        assertEquals(299_968, macs);
        assertEquals(macs, d.networkMacs());
        assertEquals(20_050, params);
        assertEquals(params, d.networkParams());
        var plan = DecompositionPlan.withDefaultSchemes(d);
        assertEquals(Scheme.CHANNEL, plan.scheme("stem"));
        assertEquals(Scheme.SPATIAL, plan.scheme("b1_conv1"));
        assertEquals(Scheme.DENSE, plan.scheme("b1_proj"));
        assertEquals(Scheme.DENSE, plan.scheme("fc"));
    }

    @Test
    void weightLayersThatCannotBeDecomposedAreReportedByNameAndCounted() {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("c1").nOut(4).build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3)
                        .name("dw")
                        .depthMultiplier(2)
                        .build())
                .layer(new SeparableConvolution2D.Builder(3, 3)
                        .name("sep")
                        .nOut(5)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .name("dil")
                        .nOut(3)
                        .dilation(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(12, 12, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        NetworkDescription d =
                NetworkDescriber.describe(net, org.deeplearning4j.nn.conf.inputs.InputType.convolutional(12, 12, 1));
        assertEquals(
                List.of("dw (DepthwiseConvolution2D)", "sep (SeparableConvolution2D)", "dil (ConvolutionLayer)"),
                d.unsupported());
        assertEquals(
                List.of("c1", "out"), d.layers().stream().map(LayerSpec::name).toList());
        // 12 → c1 10 → dw 8 (4·2 = 8 channels) → sep 6 (5 channels) → dil (effective 5×5) 2 (3 channels) → out
        long macs = 9 * 4 * 10 * 10
                + 4 * 2 * 9 * 8 * 8 // depthwise, multiplier 2
                + (8 * 9 * 6 * 6 + 8 * 5 * 6 * 6) // separable: depthwise (multiplier 1) + pointwise
                + 5 * 3 * 9 * 2 * 2
                + 3 * 2 * 2 * 10;
        assertEquals(macs, d.networkMacs());
        assertEquals(net.numParams(), d.networkParams());
    }
}
