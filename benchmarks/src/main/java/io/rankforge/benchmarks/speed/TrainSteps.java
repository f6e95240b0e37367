package io.rankforge.benchmarks.speed;

import io.rankforge.RankConfiguration;
import io.rankforge.decompose.CompressionCost;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.model.LayerSpec;
import io.rankforge.runtime.NativeBackend;
import io.rankforge.runtime.TrainingKernels;
import io.rankforge.zoo.ZooArchitecture;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training steps of a zoo network and nothing else (no data loading, no evaluation), as RankForge trains: for tools
 * that observe one training step from outside (benchmarks/onednn-breakdown reads oneDNN's verbose log of it). Seeded
 * uniform [0, 1) images, batch = the zoo's batch size. Usage: {@code TrainSteps ARCH STEPS [VARIANT [UNTIMED_STEPS]]}
 * (the first UNTIMED_STEPS steps, default 5, are not in the time per step), VARIANT one of
 *
 * <ul>
 *   <li>{@code original} (default): the zoo network;
 *   <li>{@code decomposed}: the network a sweep trial fine-tunes, every compressible layer but the output layer
 *       decomposed at a rank drawn uniformly from [1, r_max] (seed 3, the same draw every run);
 *   <li>{@code decomposed-nhwc}: that network with every NCHW data format of its configuration switched to NHWC
 *       (channels last) and NHWC images. Speed only: the parameters are copied as they are, so the dense layer after
 *       the last convolution sees its inputs in another order and the network computes another function.
 * </ul>
 */
public final class TrainSteps {
    /** Steps not timed by default: the first create oneDNN's primitives and DL4J's workspaces. */
    private static final int WARM_UP = 5;

    private TrainSteps() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4) {
            throw new IllegalArgumentException(
                    "usage: TrainSteps ARCH STEPS [original|decomposed|decomposed-nhwc] [UNTIMED_STEPS]");
        }
        NativeBackend.select();
        ZooArchitecture arch = ZooArchitecture.byId(args[0]);
        int steps = Integer.parseInt(args[1]);
        String variant = args.length >= 3 ? args[2] : "original";
        // more untimed steps measure the steady state, after HotSpot's compiler has done its work
        int untimed = args.length == 4 ? Integer.parseInt(args[3]) : WARM_UP;
        if (args.length == 4 && (untimed < 0 || untimed >= steps)) {
            throw new IllegalArgumentException("UNTIMED_STEPS must be in [0, STEPS), got " + untimed);
        }
        boolean nhwc = variant.equals("decomposed-nhwc");
        int batch = arch.batchSize();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        if (nhwc) {
            x = x.permute(0, 2, 3, 1).dup('c');
        }
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1);
        }
        DataSet ds = new DataSet(x, y);
        Model net = arch.build(1L, 1);
        String what = arch.id();
        switch (variant) {
            case "original" -> {}
            case "decomposed", "decomposed-nhwc" -> {
                Decomposer d = Decomposer.withDefaultSchemes(net, arch.inputType());
                RankConfiguration ranks = randomRanks(d.plan(), new Random(3));
                net = d.decompose(ranks);
                what += String.format(
                        " decomposed (%.3f of the compressible layers' MACs)",
                        CompressionCost.of(d.plan(), ranks).compressibleFlopsRatio());
                if (nhwc) {
                    net = channelsLast((MultiLayerNetwork) net);
                    what += ", channels last";
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "variant must be original, decomposed or decomposed-nhwc, got " + variant);
        }
        TrainingKernels.installForTraining(net);
        long t0 = System.nanoTime();
        long warm = t0; // the first steps create oneDNN's primitives and DL4J's workspaces: timed apart
        double[] stepMs = new double[Math.max(0, steps - untimed)];
        for (int s = 0; s < steps; s++) {
            if (s == untimed) {
                warm = System.nanoTime();
            }
            long start = System.nanoTime();
            try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
                if (net instanceof MultiLayerNetwork mln) {
                    mln.fit(ds);
                } else {
                    ((ComputationGraph) net).fit(ds);
                }
            }
            if (s >= untimed) {
                stepMs[s - untimed] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(stepMs);
        System.out.printf(
                "%s: %d steps of %d images in %.2f s, %s ms per step after the first %d (batch-norm kernel %s, exact"
                        + " speed-ups %s, input gradient %s); steps' median %s ms, tenth %s, ninetieth percentile %s%n",
                what,
                steps,
                batch,
                (System.nanoTime() - t0) / 1e9,
                steps > untimed ? String.format("%.1f", (System.nanoTime() - warm) / 1e6 / (steps - untimed)) : "n/a",
                untimed,
                TrainingKernels.label(),
                TrainingKernels.exactSpeedupsLabel(),
                TrainingKernels.inputGradientLabel(),
                percentile(stepMs, 0.5),
                percentile(stepMs, 0.1),
                percentile(stepMs, 0.9));
    }

    /** The {@code q} quantile of sorted {@code values} (nearest rank), "n/a" when there are none. */
    private static String percentile(double[] values, double q) {
        if (values.length == 0) {
            return "n/a";
        }
        return String.format("%.1f", values[Math.min(values.length - 1, (int) Math.floor(q * values.length))]);
    }

    /** Every compressible layer except the output layer at a rank uniform in [1, r_max]. */
    static RankConfiguration randomRanks(DecompositionPlan plan, Random random) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (LayerSpec l : plan.layers()) {
            if (!l.name().equals("output")) {
                ranks.put(l.name(), 1 + random.nextInt(plan.rMax(l.name())));
            }
        }
        return RankConfiguration.of(ranks);
    }

    private static MultiLayerNetwork channelsLast(MultiLayerNetwork net) {
        String json = net.getLayerWiseConfigurations().toJson().replace("\"NCHW\"", "\"NHWC\"");
        MultiLayerNetwork converted = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        converted.init(net.params().dup(), false);
        return converted;
    }
}
