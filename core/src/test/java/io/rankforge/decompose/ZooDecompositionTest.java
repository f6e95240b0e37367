package io.rankforge.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.data.DataSplits;
import io.rankforge.data.IdxDirectory;
import io.rankforge.eval.Evaluator;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.model.NetworkDescription;
import io.rankforge.spectrum.Scheme;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooTrainer;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The zoo networks: costs against a hand computation, and exact full-rank decomposition after real training. */
class ZooDecompositionTest {
    /** Real Fashion-MNIST training images per zoo network: brief, but weights and BN statistics are trained. */
    static final int TRAIN_IMAGES = 640;

    static DataSplits splits;

    @BeforeAll
    static void data() {
        IdxDirectory d = IdxDirectory.of(TestNetworks.FASHION);
        splits = DataSplits.split(
                d.readTrain().first(TRAIN_IMAGES + 200), d.readTest().first(200), 200, DataSplits.DEFAULT_SEED);
    }

    @Test
    void lenet5CostsByHand() {
        NetworkDescription d = describe(ZooArchitecture.LENET5);
        assertEquals(List.of("conv1", "conv2", "fc1", "output"), names(d));
        // conv1 5×5 1→20: 28→24; pool → 12; conv2 5×5 20→50: 12→8; pool → 4; fc1 50·4·4 = 800 → 500; output 500 → 10
        long macs = 25L * 20 * 24 * 24 + 20L * 25 * 50 * 8 * 8 + 800L * 500 + 500L * 10;
        long params = (25 * 20 + 20) + (20 * 25 * 50 + 50) + (800 * 500 + 500) + (500 * 10 + 10);
        assertEquals(2_293_000, macs);
        assertEquals(431_080, params);
        assertEquals(macs, d.networkMacs());
        assertEquals(params, d.networkParams());
        assertEquals(params, d.compressibleParams());
        assertEquals(LayerSpec.convolution("conv2", 20, 50, 5, 5, 1, 1, 0, 0, 12, 12, 8, 8, true), d.layer("conv2"));
        assertEquals(List.of(), d.unsupported());
    }

    @Test
    void vggMiniCostsByHand() {
        NetworkDescription d = describe(ZooArchitecture.VGG_MINI);
        assertEquals(
                List.of("conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "fc1", "output"), names(d));
        // 3×3 pad 1 convolutions without bias at 28×28 (1→8, 8→8), 14×14 (8→16, 16→16), 7×7 (16→32, 32→32);
        // max-pooling 7 → 3; fc1 32·3·3 = 288 → 128; output 128 → 10
        long macs = 9L * (1 * 8 + 8 * 8) * 28 * 28
                + 9L * (8 * 16 + 16 * 16) * 14 * 14
                + 9L * (16 * 32 + 32 * 32) * 7 * 7
                + 288L * 128
                + 128L * 10;
        long convParams = 9L * (1 * 8 + 8 * 8 + 8 * 16 + 16 * 16 + 16 * 32 + 32 * 32);
        long bnParams = 4L * (8 + 8 + 16 + 16 + 32 + 32); // gamma, beta, running mean and variance
        long params = convParams + bnParams + (288 * 128 + 128) + (128 * 10 + 10);
        assertEquals(1_900_928, macs);
        assertEquals(56_658, params);
        assertEquals(macs, d.networkMacs());
        assertEquals(params, d.networkParams());
        assertEquals(params - bnParams, d.compressibleParams());
        assertEquals(LayerSpec.convolution("conv3_1", 16, 32, 3, 3, 1, 1, 1, 1, 7, 7, 7, 7, false), d.layer("conv3_1"));
    }

    @Test
    void resnet20CostsByHand() {
        NetworkDescription d = describe(ZooArchitecture.RESNET_20);
        assertEquals(22, d.layers().size(), "19 3×3 convolutions, 2 projections, the output layer");
        // stem 1→8 at 28×28, max-pool → 14; stage 1: six 8→8 at 14×14; stage 2: 8→16 stride 2 (14 → 7) and five
        // 16→16 at 7×7, projection 1×1 8→16 stride 2; stage 3: 16→32 stride 2 (7 → 4) and five 32→32 at 4×4,
        // projection 16→32 stride 2 (7 → 4); global average pooling; output 32 → 10. No conv bias.
        long macs = 9L * 8 * 28 * 28
                + 6 * 9L * 8 * 8 * 14 * 14
                + 9L * 8 * 16 * 7 * 7
                + 5 * 9L * 16 * 16 * 7 * 7
                + 8L * 16 * 7 * 7
                + 9L * 16 * 32 * 4 * 4
                + 5 * 9L * 32 * 32 * 4 * 4
                + 16L * 32 * 4 * 4
                + 32L * 10;
        long convParams = 9L * 8 + 6 * 9L * 64 + (9L * 128 + 5 * 9L * 256 + 128) + (9L * 512 + 5 * 9L * 1024 + 512);
        long bnParams = 4L * (8 + 6 * 8 + 7 * 16 + 7 * 32);
        long params = convParams + bnParams + 330;
        assertEquals(2_180_544, macs);
        assertEquals(69_426, params);
        assertEquals(macs, d.networkMacs());
        assertEquals(params, d.networkParams());
        assertEquals(
                LayerSpec.convolution("s3b1_conv1", 16, 32, 3, 3, 2, 2, 1, 1, 7, 7, 4, 4, false),
                d.layer("s3b1_conv1"));
        assertEquals(
                LayerSpec.convolution("s3b1_proj", 16, 32, 1, 1, 2, 2, 0, 0, 7, 7, 4, 4, false), d.layer("s3b1_proj"));
        var plan = DecompositionPlan.withDefaultSchemes(d);
        assertEquals(Scheme.CHANNEL, plan.scheme("conv1"));
        assertEquals(Scheme.DENSE, plan.scheme("s2b1_proj"));
        assertEquals(Scheme.SPATIAL, plan.scheme("s2b1_conv1"));
    }

    @Test
    void vggMiniW2CostsByHand() {
        NetworkDescription d = describe(ZooArchitecture.VGG_MINI_W2);
        assertEquals(
                List.of("conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "fc1", "output"), names(d));
        // vgg-mini at 16/32/64: 28×28 (1→16, 16→16), 14×14 (16→32, 32→32), 7×7 (32→64, 64→64); pool 7 → 3;
        // fc1 64·3·3 = 576 → 128; output 128 → 10
        long macs = 9L * (1 * 16 + 16 * 16) * 28 * 28
                + 9L * (16 * 32 + 32 * 32) * 14 * 14
                + 9L * (32 * 64 + 64 * 64) * 7 * 7
                + 576L * 128
                + 128L * 10;
        long convParams = 9L * (1 * 16 + 16 * 16 + 16 * 32 + 32 * 32 + 32 * 64 + 64 * 64);
        long bnParams = 4L * (16 + 16 + 32 + 32 + 64 + 64);
        long params = convParams + bnParams + (576 * 128 + 128) + (128 * 10 + 10);
        assertEquals(7_413_248, macs);
        assertEquals(147_610, params);
        assertEquals(macs, d.networkMacs());
        assertEquals(params, d.networkParams());
        assertEquals(params - bnParams, d.compressibleParams());
    }

    @Test
    void vgg16CostsByHand() {
        NetworkDescription d = describe(ZooArchitecture.VGG_16);
        assertEquals(16, d.layers().size(), "13 convolutions, fc1, fc2, output");
        assertEquals("conv5_3", d.layers().get(12).name());
        // stages of 2, 2, 3, 3, 3 convolutions 3×3 pad 1 at 16/32/64/128/128 channels; 2×2 pools after stages 1-3
        // (28 → 14 → 7 → 3), stage 4 and 5 at 3×3, a 3×3 pool after stage 5 (3 → 1); fc1 128 → 128 → 128 → 10
        long macs = 9L * (1 * 16 + 16 * 16) * 28 * 28
                + 9L * (16 * 32 + 32 * 32) * 14 * 14
                + 9L * (32 * 64 + 2 * 64 * 64) * 7 * 7
                + 9L * (64 * 128 + 2 * 128 * 128) * 3 * 3
                + 9L * (3 * 128 * 128) * 3 * 3
                + 2 * 128L * 128
                + 128L * 10;
        long convParams = 9L
                * (1 * 16
                        + 16 * 16
                        + 16 * 32
                        + 32 * 32
                        + 32 * 64
                        + 2 * 64 * 64
                        + 64 * 128
                        + 2 * 128 * 128
                        + 3 * 128 * 128);
        long bnParams = 4L * (2 * 16 + 2 * 32 + 3 * 64 + 3 * 128 + 3 * 128);
        long params = convParams + bnParams + 2 * (128 * 128 + 128) + (128 * 10 + 10);
        assertEquals(16_477_696, macs);
        assertEquals(957_978, params);
        assertEquals(macs, d.networkMacs());
        assertEquals(params, d.networkParams());
        assertEquals(params - bnParams, d.compressibleParams());
        assertEquals(
                LayerSpec.convolution("conv5_1", 128, 128, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3, false), d.layer("conv5_1"));
        assertEquals(128, d.layer("fc1").inChannels(), "pool5 leaves 128 channels at 1×1");
    }

    @Test
    void resnet32And56CostsByHand() {
        // n blocks per stage at CIFAR widths without a stem pool: stem 1→16 at 28×28; stage 1: 2n 16→16 at 28×28;
        // stage 2: 16→32 stride 2 (28 → 14), 2n-1 32→32 at 14×14, projection 1×1 16→32 stride 2; stage 3 the same
        // at 64 channels and 7×7; global average pooling; output 64 → 10. No conv bias.
        for (int n : new int[] {5, 9}) {
            ZooArchitecture arch = n == 5 ? ZooArchitecture.RESNET_32 : ZooArchitecture.RESNET_56;
            NetworkDescription d = describe(arch);
            assertEquals(6 * n + 1 + 2 + 1, d.layers().size(), arch.id() + ": 6n+1 3×3 convs, 2 projections, output");
            long macs = 9L * 16 * 28 * 28
                    + 2L * n * 9 * 16 * 16 * 28 * 28
                    + 9L * 16 * 32 * 14 * 14
                    + (2L * n - 1) * 9 * 32 * 32 * 14 * 14
                    + 16L * 32 * 14 * 14
                    + 9L * 32 * 64 * 7 * 7
                    + (2L * n - 1) * 9 * 64 * 64 * 7 * 7
                    + 32L * 64 * 7 * 7
                    + 64L * 10;
            long convParams = 9L * 16
                    + 2L * n * 9 * 256
                    + 9L * 16 * 32
                    + (2L * n - 1) * 9 * 1024
                    + 16 * 32
                    + 9L * 32 * 64
                    + (2L * n - 1) * 9 * 4096
                    + 32 * 64;
            long bnParams = 4L * (16 + 2L * n * 16 + (2L * n + 1) * 32 + (2L * n + 1) * 64);
            long params = convParams + bnParams + (64 * 10 + 10);
            assertEquals(n == 5 ? 52_697_984 : 96_050_048, macs, arch.id());
            assertEquals(n == 5 ? 469_082 : 859_738, params, arch.id());
            assertEquals(macs, d.networkMacs(), arch.id());
            assertEquals(params, d.networkParams(), arch.id());
            assertEquals(params - bnParams, d.compressibleParams(), arch.id());
            assertEquals(
                    LayerSpec.convolution("s3b1_proj", 32, 64, 1, 1, 2, 2, 0, 0, 14, 14, 7, 7, false),
                    d.layer("s3b1_proj"));
            assertEquals(
                    LayerSpec.convolution("s1b" + n + "_conv2", 16, 16, 3, 3, 1, 1, 1, 1, 28, 28, 28, 28, false),
                    d.layer("s1b" + n + "_conv2"));
        }
    }

    @Test
    void fullRankDecompositionOfTrainedZooNetworksReproducesTheirOutputs() {
        for (ZooArchitecture arch :
                List.of(ZooArchitecture.LENET5, ZooArchitecture.VGG_MINI, ZooArchitecture.RESNET_20)) {
            TrainedModel t = ZooTrainer.train(arch, "fashion-mnist", splits, 1, 5, TRAIN_IMAGES, s -> {});
            assertFullRankReproduces(arch, t.model(), splits.test().features());
        }
    }

    static void assertFullRankReproduces(ZooArchitecture arch, Model net, INDArray images) {
        Decomposer d = Decomposer.withDefaultSchemes(net, arch.inputType());
        RankConfiguration full = d.plan().fullRanks();
        Model low = d.decompose(full);
        var before = Activations.byName(net, images);
        var after = Activations.byName(low, images);
        for (String layer : full.ranks().keySet()) {
            double rel = Activations.relativeDifference(before.get(layer), after.get(layer + "_b"));
            assertTrue(rel <= 1e-4, arch.id() + " " + layer + ": relative difference " + rel);
        }
        double rel = Activations.relativeDifference(Evaluator.output(net, images), Evaluator.output(low, images));
        assertTrue(rel <= 1e-4, arch.id() + " output: relative difference " + rel);
        // and truncation does change the network (the check above is not vacuous): the cut layer's own output
        // (in a deep residual network after one mini-batch the final output may barely move)
        LayerSpec first = d.plan().layers().get(1);
        Model cut = d.decompose(RankConfiguration.of(Map.of(first.name(), 1)));
        double moved = Activations.relativeDifference(
                before.get(first.name()), Activations.byName(cut, images).get(first.name() + "_b"));
        assertTrue(moved > 1e-3, arch.id() + " at rank 1 in " + first.name() + ": " + moved);
    }

    private static NetworkDescription describe(ZooArchitecture a) {
        return NetworkDescriber.describe(a.build(1), a.inputType());
    }

    private static List<String> names(NetworkDescription d) {
        return d.layers().stream().map(LayerSpec::name).toList();
    }
}
