package io.rankforge.benchmarks.speed;

import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.eval.Evaluator;
import io.rankforge.profile.ModelProfiler;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.runtime.BlasThreads;
import io.rankforge.runtime.NativeBackend;
import io.rankforge.runtime.TrainingKernels;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.zoo.ZooArchitecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's side of the speed comparison, per zoo architecture:
 *
 * <ul>
 *   <li>{@code twin.csv}: training (one pass over {@code --train-images} images, batch = the zoo's batch size, Adam as
 *       the zoo trains) and inference (batch 256 over {@code --infer-images}) in images per second, repeated;
 *       phase {@code infer} infers as RankForge's Evaluator does (kernels installed), alternating with
 *       {@code infer-dl4j} (DL4J as it comes, OpenBLAS at ND4J's thread count too) and {@code infer-b64}
 *       (installed, batch 64);
 *       phase {@code train} trains as RankForge does (fused batch-norm kernel and exact speed-ups), alternating with
 *       {@code train-dl4j-bn} (DL4J's own batch-norm helper, for networks with batch norm) and {@code train-dl4j}
 *       (DL4J as it comes: nothing of RankForge's installed, OpenBLAS at ND4J's thread count);
 *   <li>{@code weights/<arch>/}: the network's parameters as .npy files plus a probe batch and DL4J's output on it,
 *       so that the PyTorch twin can load the same weights and check it computes the same function;
 *   <li>{@code speedup.csv}: latency at batch 1 and 64 and throughput at batch 256 of the original and of the
 *       network decomposed to 25/50/75% of its compressible layers' MACs (uniform rank fraction per layer).
 * </ul>
 *
 * <p>Inputs are seeded uniform [0, 1) images (speed does not depend on pixel values). Usage: {@code ZooSpeed OUT_DIR
 * weights|twin|speedup REPEATS TRAIN_IMAGES INFER_IMAGES ARCH[,ARCH...] [FIRST_REPEAT]}; the CSV files are appended
 * to, so that benchmarks/run can alternate DL4J's and PyTorch's repeats (both then share whatever else the machine
 * is doing).
 */
public final class ZooSpeed {
    private static final int INFER_BATCH = 256;
    private static final double[] BUDGETS = {0.25, 0.5, 0.75};

    private ZooSpeed() {}

    public static void main(String[] args) throws IOException {
        NativeBackend.select();
        Path out = Path.of(args[0]);
        String part = args[1];
        int repeats = Integer.parseInt(args[2]);
        int trainImages = Integer.parseInt(args[3]);
        int inferImages = Integer.parseInt(args[4]);
        List<ZooArchitecture> archs =
                Arrays.stream(args[5].split(",")).map(ZooArchitecture::byId).toList();
        int firstRepeat = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        Files.createDirectories(out);
        Nd4j.getRandom().setSeed(42);
        INDArray images = Nd4j.rand(DataType.FLOAT, Math.max(trainImages, inferImages), 1, 28, 28);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, images.size(0), 10);
        for (int i = 0; i < images.size(0); i++) {
            labels.putScalar(i, (i * 7) % 10, 1f);
        }
        String build = NativeBackend.selected().label();
        if (NativeBackend.selected() == NativeBackend.Build.ONEDNN_AVX2 && !NativeBackend.helpersActive()) {
            throw new IllegalStateException("the oneDNN build is loaded but DL4J's oneDNN helpers are off");
        }
        System.err.println("zoo-speed: " + part + ", native build " + build + ", oneDNN helpers "
                + NativeBackend.helpersActive() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        switch (part) {
            case "weights" -> {
                for (ZooArchitecture arch : archs) {
                    exportWeights(
                            arch.build(1L, 1), images, out.resolve("weights").resolve(arch.id()));
                }
            }
            case "twin" -> {
                // every network's phases first, so that one warm-up covers them all
                List<TwinPhases> nets = new ArrayList<>();
                for (ZooArchitecture arch : archs) {
                    nets.add(TwinPhases.of(arch));
                }
                warmUp(nets, images, labels, inferImages, trainImages);
                try (PrintWriter twin = appending(
                        out.resolve("twin.csv"), "framework,build,model,phase,repeat,images,seconds,images_per_s")) {
                    for (TwinPhases t : nets) {
                        for (int r = 0; r < repeats; r++) {
                            for (var v : t.inference().entrySet()) {
                                blasThreadsFor(v.getKey());
                                double s = infer(v.getValue(), images, inferImages, inferBatch(v.getKey()));
                                twin.printf(
                                        Locale.ROOT,
                                        "dl4j,%s,%s,%s,%d,%d,%.4f,%.1f%n",
                                        build,
                                        t.arch().id(),
                                        v.getKey(),
                                        firstRepeat + r,
                                        inferImages,
                                        s,
                                        inferImages / s);
                            }
                        }
                        for (int r = 0; r < repeats; r++) {
                            for (var v : t.training().entrySet()) {
                                blasThreadsFor(v.getKey());
                                double s = train(
                                        v.getValue(),
                                        images,
                                        labels,
                                        trainImages,
                                        t.arch().batchSize());
                                twin.printf(
                                        Locale.ROOT,
                                        "dl4j,%s,%s,%s,%d,%d,%.4f,%.1f%n",
                                        build,
                                        t.arch().id(),
                                        v.getKey(),
                                        firstRepeat + r,
                                        trainImages,
                                        s,
                                        trainImages / s);
                            }
                        }
                        twin.flush();
                    }
                }
            }
            case "speedup" -> {
                try (PrintWriter speedup = appending(
                        out.resolve("speedup.csv"),
                        "build,model,variant,flops_ratio,network_flops_ratio,repeat,latency_b1_ms,latency_b64_ms,"
                                + "throughput_b256")) {
                    for (ZooArchitecture arch : archs) {
                        speedups(arch, arch.build(1L, 1), images, inferImages, repeats, build, speedup);
                    }
                }
            }
            default -> throw new IllegalArgumentException("part must be weights, twin or speedup, got " + part);
        }
    }

    /**
     * {@code train}: as RankForge trains (fused batch-norm kernel and the exact speed-ups); {@code train-dl4j-bn}: the
     * same with DL4J's batch-norm helper (networks with batch norm only); {@code train-dl4j}: DL4J as it comes,
     * nothing installed.
     */
    static Map<String, Model> trainingVariants(Model net) {
        Map<String, Model> variants = new LinkedHashMap<>();
        Model plain = copy(net);
        Model dl4jBatchNorm = copy(net);
        TrainingKernels.installForTraining(net);
        variants.put("train", net);
        String before = System.getProperty(TrainingKernels.PROPERTY);
        System.setProperty(TrainingKernels.PROPERTY, "dl4j");
        try {
            TrainingKernels.installForTraining(dl4jBatchNorm);
        } finally {
            if (before == null) {
                System.clearProperty(TrainingKernels.PROPERTY);
            } else {
                System.setProperty(TrainingKernels.PROPERTY, before);
            }
        }
        if (hasBatchNorm(net)) {
            variants.put("train-dl4j-bn", dl4jBatchNorm);
        }
        variants.put("train-dl4j", plain);
        return variants;
    }

    private static Model copy(Model net) {
        return net instanceof MultiLayerNetwork mln ? mln.clone() : ((ComputationGraph) net).clone();
    }

    private static boolean hasBatchNorm(Model net) {
        Layer[] layers = net instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) net).getLayers();
        for (Layer l : layers) {
            if (l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                return true;
            }
        }
        return false;
    }

    /** A CSV writer that appends, writing {@code header} first when the file is new. */
    static PrintWriter appending(Path file, String header) throws IOException {
        boolean fresh = !Files.exists(file);
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(
                file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND));
        if (fresh) {
            w.println(header);
        }
        return w;
    }

    private static void speedups(
            ZooArchitecture arch,
            Model net,
            INDArray images,
            int inferImages,
            int repeats,
            String build,
            PrintWriter csv) {
        Decomposer d = Decomposer.withDefaultSchemes(net, arch.inputType());
        DecompositionPlan plan = d.plan();
        NetworkProfile profile = ModelProfiler.spectra(arch.id(), net, plan);
        List<String> variants = new ArrayList<>(List.of("original"));
        List<Model> models = new ArrayList<>(List.of(net));
        List<RankConfiguration> configs = new ArrayList<>();
        configs.add(plan.fullRanks());
        for (double b : BUDGETS) {
            RankConfiguration ranks = RankSelectors.byId("uniform")
                    .select(SelectionProblem.builder(profile)
                            .metric(MetricKind.PCA)
                            .targetFlops(b)
                            .build())
                    .configuration();
            variants.add(Math.round(b * 100) + "%");
            models.add(d.decompose(ranks));
            configs.add(ranks);
        }
        BlasThreads.forNetworks(); // as RankForge's evaluation runs them
        for (int v = 0; v < models.size(); v++) {
            Model m = models.get(v);
            var cost = v == 0 ? null : plan.cost(configs.get(v));
            double ratio = cost == null ? 1.0 : cost.compressibleFlopsRatio();
            double network = cost == null ? 1.0 : cost.networkFlopsRatio();
            latency(m, images, 1, 20);
            for (int r = 0; r < repeats; r++) {
                double b1 = latency(m, images, 1, 200);
                double b64 = latency(m, images, 64, 20);
                double thr = inferImages / infer(m, images, inferImages);
                csv.printf(
                        Locale.ROOT,
                        "%s,%s,%s,%.5f,%.5f,%d,%.4f,%.4f,%.1f%n",
                        build,
                        arch.id(),
                        variants.get(v),
                        ratio,
                        network,
                        r,
                        b1,
                        b64,
                        thr);
                csv.flush();
            }
        }
    }

    /** Median milliseconds of {@code passes} forward passes of one batch of {@code batch} images. */
    static double latency(Model m, INDArray images, int batch, int passes) {
        INDArray x = images.get(NDArrayIndex.interval(0, batch)).dup();
        double[] ms = new double[passes];
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            INDArray o = Evaluator.output(m, x);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            o.close();
        }
        Arrays.sort(ms);
        return ms[passes / 2];
    }

    /**
     * One network's phases: inference as RankForge's Evaluator runs it (kernels installed: batch norm's exact
     * inference pass), as DL4J runs it (the same weights, nothing installed) and at the zoo's training batch
     * (PyTorch's batch-256 pace is bimodal on some machines); training as RankForge trains and with parts of it left
     * out ({@link #trainingVariants}; the same weights: every variant starts from a clone made before anything is
     * installed), so each part's effect is measured in the same run.
     */
    private record TwinPhases(ZooArchitecture arch, Map<String, Model> inference, Map<String, Model> training) {
        static TwinPhases of(ZooArchitecture arch) {
            Model net = arch.build(1L, 1);
            Map<String, Model> training = trainingVariants(copy(net));
            Model inferring = copy(net);
            TrainingKernels.install(inferring);
            Map<String, Model> inference = new LinkedHashMap<>();
            inference.put("infer", inferring);
            inference.put("infer-dl4j", net);
            inference.put("infer-b64", inferring);
            return new TwinPhases(arch, inference, training);
        }
    }

    /**
     * Every phase of every network at least once (the first passes allocate workspaces and pick oneDNN's kernels for
     * each batch size), then round after round until {@link #warmUpNanos} has passed.
     */
    private static void warmUp(
            List<TwinPhases> nets, INDArray images, INDArray labels, int inferImages, int trainImages) {
        long until = System.nanoTime() + warmUpNanos();
        do {
            for (TwinPhases t : nets) {
                for (var v : t.inference().entrySet()) {
                    blasThreadsFor(v.getKey());
                    infer(v.getValue(), images, Math.min(inferImages, 1024), inferBatch(v.getKey()));
                }
                for (var v : t.training().entrySet()) {
                    blasThreadsFor(v.getKey());
                    int batch = t.arch().batchSize();
                    train(v.getValue(), images, labels, Math.min(trainImages, 4 * batch), batch);
                }
            }
        } while (System.nanoTime() < until);
    }

    /**
     * How long the networks warm up before any is measured, all phases in turn: at least one pass of each, repeated
     * until {@code -Drankforge.bench.warmup-s} seconds have passed (default 0: one pass).
     * HotSpot's optimising compiler keeps compiling DL4J's Java code for tens of seconds (docs/native.md, "JIT
     * compilation"); with no spare core it competes with the measurement, and a long training run has long left that
     * phase behind. benchmarks/run sets it and gives the PyTorch twin the same.
     */
    private static long warmUpNanos() {
        double s = Double.parseDouble(System.getProperty("rankforge.bench.warmup-s", "0"));
        if (s < 0) {
            throw new IllegalArgumentException("rankforge.bench.warmup-s must be >= 0, got " + s);
        }
        return (long) (s * 1e9);
    }

    /**
     * OpenBLAS's threads for a phase: DL4J as it comes ({@code infer-dl4j}, {@code train-dl4j}) keeps ND4J's count,
     * every other phase runs as RankForge runs networks, OpenBLAS on one thread ({@link BlasThreads}).
     */
    private static void blasThreadsFor(String phase) {
        if (phase.endsWith("-dl4j")) {
            BlasThreads.asNd4jSetsIt();
        } else {
            BlasThreads.forNetworks();
        }
    }

    /** The batch of an inference phase: 64 for {@code infer-b64}, else 256. */
    private static int inferBatch(String phase) {
        return phase.equals("infer-b64") ? 64 : INFER_BATCH;
    }

    /** Seconds for inference over the first {@code n} images in batches of 256. */
    static double infer(Model m, INDArray images, int n) {
        return infer(m, images, n, INFER_BATCH);
    }

    /** Seconds for inference over the first {@code n} images in batches of {@code batch}. */
    static double infer(Model m, INDArray images, int n, int batch) {
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            INDArray o = Evaluator.output(m, images.get(NDArrayIndex.interval(from, Math.min(n, from + batch))));
            o.close();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds for one training pass over the first {@code n} images. */
    static double train(Model m, INDArray images, INDArray labels, int n, int batch) {
        long t0 = System.nanoTime();
        for (int from = 0; from + batch <= n; from += batch) {
            DataSet ds = new DataSet(
                    images.get(NDArrayIndex.interval(from, from + batch)),
                    labels.get(NDArrayIndex.interval(from, from + batch)));
            try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
                if (m instanceof MultiLayerNetwork mln) {
                    mln.fit(ds);
                } else {
                    ((ComputationGraph) m).fit(ds);
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Every layer's parameters as {@code <layer>__<param>.npy}, a probe batch and DL4J's output on it. */
    static void exportWeights(Model m, INDArray images, Path dir) throws IOException {
        Files.createDirectories(dir);
        Layer[] layers = m instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) m).getLayers();
        for (Layer l : layers) {
            String name = l.conf().getLayer().getLayerName();
            for (var e : l.paramTable().entrySet()) {
                Npy.write(dir.resolve(name + "__" + e.getKey() + ".npy"), e.getValue());
            }
        }
        INDArray probe = images.get(NDArrayIndex.interval(0, 16)).dup();
        Npy.write(dir.resolve("probe_input.npy"), probe);
        Npy.write(dir.resolve("probe_output.npy"), Evaluator.output(m, probe));
    }
}
