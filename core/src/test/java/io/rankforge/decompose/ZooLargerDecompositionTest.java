package io.rankforge.decompose;

import io.rankforge.data.DataSplits;
import io.rankforge.data.IdxDirectory;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooTrainer;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exact full-rank decomposition of the zoo's larger networks (vgg-mini-w2, vgg-16, resnet-32, resnet-56). */
class ZooLargerDecompositionTest {
    static DataSplits splits;

    @BeforeAll
    static void data() {
        IdxDirectory d = IdxDirectory.of(TestNetworks.FASHION);
        splits = DataSplits.split(d.readTrain().first(216), d.readTest().first(8), 200, DataSplits.DEFAULT_SEED);
    }

    /**
     * The larger networks (up to 96 M multiply-accumulates per image, about 0.4 s of a core per training image here)
     * train on one mini-batch of 16 images only and are compared on 8: weights and batch-norm statistics still move
     * away from their initial values, which is what the decomposition must carry over.
     */
    @Test
    void fullRankDecompositionOfTheLargerZooNetworksReproducesTheirOutputs() {
        INDArray images = splits.test().first(8).features();
        for (ZooArchitecture arch : List.of(
                ZooArchitecture.VGG_MINI_W2,
                ZooArchitecture.VGG_16,
                ZooArchitecture.RESNET_32,
                ZooArchitecture.RESNET_56)) {
            Model net = ZooTrainer.fit(arch, splits.train().first(16), 1, 5, s -> {});
            ZooDecompositionTest.assertFullRankReproduces(arch, net, images);
        }
    }
}
