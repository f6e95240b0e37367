package io.rankforge.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.data.DataSplits;
import io.rankforge.data.IdxDirectory;
import io.rankforge.data.ImageDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The zoo's architectures as specified, and short real trainings on a few thousand Fashion-MNIST images. */
class ZooTest {
    static DataSplits small;

    @BeforeAll
    static void data() {
        IdxDirectory d = IdxDirectory.of(Path.of("/usr/share/datasets/fashion-mnist"));
        // 1,200 training images (200 held out) and 300 test images keep every training here to seconds
        small = DataSplits.split(d.readTrain().first(1_200), d.readTest().first(300), 200, DataSplits.DEFAULT_SEED);
    }

    @Test
    void everyLayerIsNamedAndTheShapesAreAsSpecified() {
        for (ZooArchitecture a : ZooArchitecture.values()) {
            List<String> names = ZooArchitecture.layerNames(a.configurationOnly());
            for (String n : names) {
                assertTrue(n != null && !n.isBlank() && !n.matches("layer\\d+"), a.id() + " has unnamed layer " + n);
            }
            assertEquals(names.size(), names.stream().distinct().count(), a.id() + " layer names unique");
        }
        MultiLayerNetwork lenet = (MultiLayerNetwork) ZooArchitecture.LENET5.build(1);
        assertEquals(List.of("conv1", "pool1", "conv2", "pool2", "fc1", "output"), ZooArchitecture.layerNames(lenet));

        // vgg-mini: >= 6 3x3 convolutions, each followed by batch norm, in >= 3 stages (pools)
        MultiLayerNetwork vgg = (MultiLayerNetwork) ZooArchitecture.VGG_MINI.build(1);
        List<Layer> layers = new ArrayList<>();
        vgg.getLayerWiseConfigurations().getConfs().forEach(c -> layers.add(c.getLayer()));
        int convs = 0, pools = 0;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof ConvolutionLayer c) {
                convs++;
                assertArrayEquals(new int[] {3, 3}, c.getKernelSize());
                assertInstanceOf(BatchNormalization.class, layers.get(i + 1), "batch norm after " + c.getLayerName());
            }
            if (layers.get(i).getLayerName().startsWith("pool")) {
                pools++;
            }
        }
        assertTrue(convs >= 6 && pools >= 3, "convs " + convs + ", stages " + pools);

        // resnet-20: a graph with 19 3x3 convolutions + 2 projection shortcuts (1x1, stride 2) followed by batch norm
        ComputationGraph res = (ComputationGraph) ZooArchitecture.RESNET_20.build(1);
        var vertices = res.getConfiguration().getVertices();
        int conv3 = 0, stride2 = 0;
        for (var e : vertices.entrySet()) {
            if (e.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof ConvolutionLayer c) {
                if (c.getKernelSize()[0] == 3) {
                    conv3++;
                }
                if (c.getStride()[0] == 2) {
                    stride2++;
                }
            }
        }
        assertEquals(19, conv3);
        assertEquals(4, stride2, "two stride-2 3x3 convolutions and two stride-2 projections");
        for (String p : List.of("s2b1_proj", "s3b1_proj")) {
            var lv = (org.deeplearning4j.nn.conf.graph.LayerVertex) vertices.get(p);
            assertArrayEquals(
                    new int[] {1, 1}, ((ConvolutionLayer) lv.getLayerConf().getLayer()).getKernelSize());
            assertTrue(vertices.containsKey(p + "_bn"));
            assertTrue(res.getConfiguration()
                    .getVertexInputs()
                    .get(p.replace("proj", "add"))
                    .contains(p + "_bn"));
        }
        assertEquals(
                10, res.outputSingle(false, small.test().first(2).features()).size(1));
    }

    @Test
    void theLargerNetworksHaveThePapersShapes() {
        // vgg-16: 13 3x3 convolutions each followed by batch norm, in five stages, and three dense layers
        MultiLayerNetwork vgg = (MultiLayerNetwork) ZooArchitecture.VGG_16.build(1);
        List<Layer> layers = new ArrayList<>();
        vgg.getLayerWiseConfigurations().getConfs().forEach(c -> layers.add(c.getLayer()));
        int convs = 0;
        java.util.Set<Character> stages = new java.util.TreeSet<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof ConvolutionLayer c) {
                convs++;
                stages.add(c.getLayerName().charAt(4));
                assertArrayEquals(new int[] {3, 3}, c.getKernelSize());
                assertInstanceOf(BatchNormalization.class, layers.get(i + 1), "batch norm after " + c.getLayerName());
            }
        }
        assertEquals(13, convs);
        assertEquals(java.util.Set.of('1', '2', '3', '4', '5'), stages);
        assertEquals(10, vgg.output(small.test().first(2).features()).size(1), "a 28x28 input passes all five stages");

        // resnet-32 / -56: 6n+1 3x3 convolutions (n = 5, 9), two 1x1 stride-2 projections, no stem pool
        for (int n : new int[] {5, 9}) {
            ZooArchitecture arch = n == 5 ? ZooArchitecture.RESNET_32 : ZooArchitecture.RESNET_56;
            ComputationGraph g = (ComputationGraph) arch.build(1);
            var vertices = g.getConfiguration().getVertices();
            int conv3 = 0, proj = 0;
            for (var v : vertices.values()) {
                if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof ConvolutionLayer c) {
                    if (c.getKernelSize()[0] == 3) {
                        conv3++;
                    } else {
                        proj++;
                        assertArrayEquals(new int[] {2, 2}, c.getStride());
                    }
                }
            }
            assertEquals(6 * n + 1, conv3, arch.id());
            assertEquals(2, proj, arch.id());
            assertFalse(vertices.containsKey("pool1"), arch.id() + " has no stem pool");
            assertEquals(List.of("bn1"), g.getConfiguration().getVertexInputs().get("relu1"));
        }
    }

    @Test
    void vggMiniAndItsWideVariantAreToldApart() {
        assertEquals(
                ZooArchitecture.VGG_MINI_W2,
                ZooArchitecture.matching(ZooArchitecture.VGG_MINI_W2.build(1)).orElseThrow());
        assertEquals(
                ZooArchitecture.VGG_MINI,
                ZooArchitecture.matching(ZooArchitecture.VGG_MINI.build(1)).orElseThrow());
        for (ZooArchitecture a : ZooArchitecture.values()) {
            assertEquals(a, ZooArchitecture.matching(a.configurationOnly()).orElseThrow(), a.id());
        }
    }

    @Test
    void trainingLearnsAndIsDeterministic() {
        TrainedModel a = ZooTrainer.train(ZooArchitecture.LENET5, "fashion-mnist", small, 1, 7, 0, s -> {});
        TrainedModel b = ZooTrainer.train(ZooArchitecture.LENET5, "fashion-mnist", small, 1, 7, 0, s -> {});
        TrainedModel c = ZooTrainer.train(ZooArchitecture.LENET5, "fashion-mnist", small, 1, 8, 200, s -> {});
        assertTrue(a.testAccuracy() > 0.5, "lenet5 after one epoch on 1,000 images: " + a.testAccuracy());
        assertEquals(a.model().params(), b.model().params(), "same seed, same weights");
        assertEquals(a.testAccuracy(), b.testAccuracy());
        assertNotEquals(a.model().params(), c.model().params(), "another seed, other weights");
        assertEquals(200, c.trainImages());
    }

    @Test
    void batchNormNetworksTrainDeterministically() {
        // a few batches only: batch norm's running statistics are not settled, so accuracy is not asserted here
        for (ZooArchitecture arch : List.of(ZooArchitecture.VGG_MINI, ZooArchitecture.RESNET_20)) {
            ImageDataset few = small.train().first(256);
            Model a = ZooTrainer.fit(arch, few, 1, 3, s -> {});
            Model b = ZooTrainer.fit(arch, few, 1, 3, s -> {});
            assertEquals(a.params(), b.params(), arch.id() + ": same seed, same weights");
            assertNotEquals(arch.build(3, 1).params(), a.params(), arch.id() + ": training changed the weights");
            Model m = a;
            assertEquals(arch == ZooArchitecture.RESNET_20, m instanceof ComputationGraph);
        }
    }

    @Test
    void unknownNamesAreUserErrors() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                io.rankforge.UserInputException.class, () -> ZooArchitecture.byId("vgg16"));
        assertTrue(e.getMessage().contains("vgg-mini") && e.getMessage().contains("vgg16"));
        assertFalse(ZooArchitecture.matching(ZooArchitecture.LENET5.build(1)).isEmpty());
    }
}
