package io.rankforge.zoo;

import io.rankforge.data.DataSplits;
import io.rankforge.data.ImageBatches;
import io.rankforge.data.ImageDataset;
import io.rankforge.runtime.TrainingKernels;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Trains a zoo network deterministically: seeded initialisation, seeded per-epoch shuffling
 * ({@link ImageBatches}), no dropout, no asynchronous prefetch. On one machine with the same thread
 * count the weights come out bit-identical; across CPUs or thread counts floating-point summation
 * order in the native kernels can differ (see docs/zoo.md).
 */
public final class ZooTrainer {
    private static final int EVAL_BATCH = 500;

    private ZooTrainer() {}

    /**
     * @param trainLimit use only the first {@code trainLimit} training images (0 or less: all)
     * @param log        one line per epoch (loss-free: DL4J's score costs a forward pass)
     */
    public static TrainedModel train(
            ZooArchitecture arch,
            String dataset,
            DataSplits splits,
            int epochs,
            long seed,
            int trainLimit,
            Consumer<String> log) {
        ImageDataset train = trainLimit > 0 ? splits.train().first(trainLimit) : splits.train();
        long start = System.nanoTime();
        double cpu0 = processCpuSeconds();
        Model model = fit(arch, train, epochs, seed, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = processCpuSeconds() - cpu0;
        double held = splits.heldOut().size() == 0 ? Double.NaN : accuracy(model, splits.heldOut());
        double test = accuracy(model, splits.test());
        log.accept(String.format(
                "%s: held-out accuracy %.4f, test accuracy %.4f, training %.1f s (%.1f CPU s)",
                arch.id(), held, test, seconds, cpu));
        return new TrainedModel(arch, model, dataset, epochs, seed, train.size(), held, test, seconds, cpu);
    }

    /** OpenMP threads libnd4j runs its ops with (what OMP_NUM_THREADS or a thread cap set). */
    public static int nativeThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** CPU time of this process (all threads, native ones included), NaN where the JVM cannot tell. */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            return t < 0 ? Double.NaN : t / 1e9;
        }
        return Double.NaN;
    }

    /** A freshly built network trained on {@code train} (no evaluation). */
    public static Model fit(ZooArchitecture arch, ImageDataset train, int epochs, long seed, Consumer<String> log) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        Nd4j.getRandom().setSeed(seed);
        Model model = arch.build(seed, epochs);
        TrainingKernels.installForTraining(model);
        ImageBatches batches = train.shuffledBatches(arch.batchSize(), seed);
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
                if (model instanceof MultiLayerNetwork mln) {
                    mln.fit(batches);
                } else {
                    ((ComputationGraph) model).fit(batches);
                }
            }
            batches.reset();
            log.accept(String.format(
                    "%s epoch %d/%d: %d images in %.1f s",
                    arch.id(), e, epochs, train.size(), (System.nanoTime() - t0) / 1e9));
        }
        return model;
    }

    /** Top-1 accuracy of a MultiLayerNetwork or single-input ComputationGraph on {@code data}. */
    public static double accuracy(Model model, ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("data must not be empty");
        }
        int correct = 0;
        for (int from = 0; from < data.size(); from += EVAL_BATCH) {
            int to = Math.min(data.size(), from + EVAL_BATCH);
            INDArray x = data.features().get(NDArrayIndex.interval(from, to));
            INDArray out = model instanceof MultiLayerNetwork mln
                    ? mln.output(x, false)
                    : ((ComputationGraph) model).outputSingle(false, x);
            INDArray predicted = out.argMax(1);
            for (int i = from; i < to; i++) {
                if (predicted.getInt(i - from) == data.label(i)) {
                    correct++;
                }
            }
        }
        return correct / (double) data.size();
    }
}
