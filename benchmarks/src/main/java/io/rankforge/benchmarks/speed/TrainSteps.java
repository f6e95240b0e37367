package io.rankforge.benchmarks.speed;

import io.rankforge.runtime.NativeBackend;
import io.rankforge.runtime.TrainingKernels;
import io.rankforge.zoo.ZooArchitecture;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training steps of a zoo network and nothing else (no data loading, no evaluation), as RankForge trains: for tools
 * that observe one training step from outside (benchmarks/onednn-breakdown reads oneDNN's verbose log of it). Seeded
 * uniform [0, 1) images, batch = the zoo's batch size. Usage: {@code TrainSteps ARCH STEPS}.
 */
public final class TrainSteps {
    private TrainSteps() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: TrainSteps ARCH STEPS");
        }
        NativeBackend.select();
        ZooArchitecture arch = ZooArchitecture.byId(args[0]);
        int steps = Integer.parseInt(args[1]);
        int batch = arch.batchSize();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1);
        }
        DataSet ds = new DataSet(x, y);
        Model net = arch.build(1L, 1);
        TrainingKernels.install(net);
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            if (net instanceof MultiLayerNetwork mln) {
                mln.fit(ds);
            } else {
                ((ComputationGraph) net).fit(ds);
            }
        }
        System.out.printf(
                "%s: %d steps of %d images in %.2f s (batch-norm kernel %s, exact speed-ups %s)%n",
                arch.id(),
                steps,
                batch,
                (System.nanoTime() - t0) / 1e9,
                TrainingKernels.label(),
                TrainingKernels.exactSpeedupsLabel());
    }
}
