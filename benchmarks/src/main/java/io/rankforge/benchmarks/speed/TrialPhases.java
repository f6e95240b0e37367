package io.rankforge.benchmarks.speed;

import io.rankforge.RankConfiguration;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.eval.Evaluator;
import io.rankforge.runtime.NativeBackend;
import io.rankforge.runtime.TrainingKernels;
import io.rankforge.zoo.ZooArchitecture;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The phases of a sweep trial, timed apart on one thread: decompose the network to a random rank
 * configuration, re-estimate its batch-norm statistics from 500 images, evaluate 1,000 images (the quickstart's
 * settings) and, with {@code fine-tune}, fine-tune it as a sweep does (one epoch over 1,000 images, batch 64, Adam at
 * 0.001) and evaluate again. Seeded uniform [0, 1) images and a freshly initialised network: speed only, the
 * accuracies mean nothing. Usage: {@code TrialPhases ARCH TRIALS [fine-tune]}; the first 3 trials are warm-up and not
 * counted. Every compressible layer but the output layer gets a rank uniform in [1, r_max] (seed 3, the same draws
 * every run; {@link TrainSteps}'s draw).
 */
public final class TrialPhases {
    private static final int WARM_UP = 3;

    private TrialPhases() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("fine-tune"))) {
            throw new IllegalArgumentException("usage: TrialPhases ARCH TRIALS [fine-tune]");
        }
        boolean tune = args.length == 3;
        NativeBackend.select();
        ZooArchitecture arch = ZooArchitecture.byId(args[0]);
        int trials = Integer.parseInt(args[1]);
        if (trials <= WARM_UP) {
            throw new IllegalArgumentException(
                    "TRIALS must be above the " + WARM_UP + " warm-up trials, got " + trials);
        }
        Model net = arch.build(1L, 1);
        Nd4j.getRandom().setSeed(1);
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        ImageDataset test = ImageDataset.of(Nd4j.rand(DataType.FLOAT, labels.length, 1, 28, 28), labels);
        ImageDataset calibration = test.first(500);
        Decomposer d = Decomposer.withDefaultSchemes(net, arch.inputType());
        Random random = new Random(3);
        long decompose = 0, recalibrate = 0, evaluate = 0, fineTune = 0, evaluateTuned = 0;
        for (int t = 0; t < trials; t++) {
            RankConfiguration ranks = TrainSteps.randomRanks(d.plan(), random);
            long t0 = System.nanoTime();
            Model m = d.decompose(ranks);
            long t1 = System.nanoTime();
            BatchNormRecalibration.recalibrate(m, calibration);
            long t2 = System.nanoTime();
            Evaluator.evaluate(m, test);
            long t3 = System.nanoTime();
            long t4 = t3, t5 = t3;
            if (tune) {
                TrainingKernels.installForTraining(m);
                MultiLayerNetwork mln = (MultiLayerNetwork) m;
                mln.setLearningRate(0.001);
                try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
                    mln.fit(test.shuffledBatches(64, t), 1);
                }
                t4 = System.nanoTime();
                Evaluator.evaluate(m, test);
                t5 = System.nanoTime();
            }
            if (t >= WARM_UP) {
                decompose += t1 - t0;
                recalibrate += t2 - t1;
                evaluate += t3 - t2;
                fineTune += t4 - t3;
                evaluateTuned += t5 - t4;
            }
        }
        int n = trials - WARM_UP;
        System.out.printf(
                "%s, %d trials after %d of warm-up, ms per trial: decompose %.1f, recalibrate (500 images) %.1f,"
                        + " evaluate (1,000 images) %.1f, fine-tune %.1f, evaluate after %.1f%n",
                arch.id(),
                n,
                WARM_UP,
                decompose / 1e6 / n,
                recalibrate / 1e6 / n,
                evaluate / 1e6 / n,
                fineTune / 1e6 / n,
                evaluateTuned / 1e6 / n);
    }
}
