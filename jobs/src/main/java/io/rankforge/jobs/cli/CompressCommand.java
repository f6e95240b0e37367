package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.compress.CompressedModels;
import io.rankforge.compress.CompressionListener;
import io.rankforge.compress.CompressionRequest;
import io.rankforge.compress.CompressionResult;
import io.rankforge.compress.Compressor;
import io.rankforge.compress.FineTuneSchedule;
import io.rankforge.compress.RankOrigin;
import io.rankforge.data.DataSplits;
import io.rankforge.data.ImageDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.decompose.RankChoice;
import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.io.Sidecars;
import io.rankforge.jobs.run.ConsoleProgress;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rankforge compress}: model in, compressed model out. Selects the ranks the way {@code select --model} does
 * (the same {@link SelectCommand} steps: profile, sensitivity on the held-out split when the metric needs it,
 * problem, method) or reads them from a file, then runs {@link Compressor} (decompose, batch-norm re-estimation,
 * fine-tuning on the training split, test accuracy at each stage, latency) and writes the compressed DL4J model with
 * its sidecar ({@link CompressedModels}).
 */
@Command(
        name = "compress",
        mixinStandardHelpOptions = true,
        description = {
            "Compress a model: select ranks (--method and a budget, as select --model does) or read them (--ranks), "
                    + "decompose, re-estimate batch-norm statistics, fine-tune on the training split, and write the "
                    + "compressed DL4J model with a JSON sidecar (accuracies, cost, latency, provenance).",
            "Accuracies are on the test split (all 10,000 images unless --test-images); FLOPs and params ratios count "
                    + "the compressible layers (convolutions, dense layers); network_flops_ratio the whole network."
        })
public final class CompressCommand implements Callable<Integer> {
    static final String NO_DATA = "none";

    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "model file: DL4J .zip (zoo or own, with its sidecar), .caffemodel, .h5, .onnx")
    Path model;

    @Option(
            names = "--ranks",
            paramLabel = "FILE.json",
            description = "ranks to use, {\"layer\": rank, ...} (also rmax or full); instead of --method")
    String ranks;

    @Option(
            names = "--method",
            paramLabel = "M",
            description = "rank-selection method (enc-map, enc-model, enc-inf, optimal, uniform, ...); instead of "
                    + "--ranks; needs --target-flops and/or --target-params")
    String method;

    @Option(
            names = "--target-flops",
            paramLabel = "F",
            description = "budget: fraction in (0, 1] of the compressible layers' original MACs")
    Double targetFlops;

    @Option(
            names = "--target-params",
            paramLabel = "P",
            description = "budget: fraction in (0, 1] of the compressible layers' original parameters")
    Double targetParams;

    @Option(
            names = "--metric",
            paramLabel = "pca|measured|combined",
            description = "metric the method maximises (also frobenius, nuclear); measured and combined measure "
                    + "each layer's sensitivity on the held-out split first (default: pca)")
    String metric;

    @Option(
            names = "--first-layer",
            paramLabel = "half|max|search",
            defaultValue = "search",
            description = "first layer: round(r_max/2), r_max, or searched like the others (default: ${DEFAULT-VALUE})")
    String firstLayer;

    @Option(
            names = "--min-rank-fraction",
            paramLabel = "X",
            defaultValue = "0.1",
            description = "rank floor as a fraction of r_max (default: ${DEFAULT-VALUE})")
    double minRankFraction;

    @Option(
            names = "--exclude-pattern",
            paramLabel = "REGEX",
            description = "layers whose whole name matches stay uncompressed and out of the budget")
    String excludePattern;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "method setting, repeatable (as for select)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "seed of randomised methods and of fine-tuning's shuffles (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--fine-tune-epochs",
            paramLabel = "N",
            defaultValue = "" + FineTuneSchedule.DEFAULT_EPOCHS,
            description = "epochs of fine-tuning on the training split, 0 = none (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--learning-rate",
            paramLabel = "LR",
            defaultValue = "" + FineTuneSchedule.DEFAULT_LEARNING_RATE,
            description = "Adam's initial learning rate, decayed to 0 along a cosine (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "" + FineTuneSchedule.DEFAULT_BATCH_SIZE,
            description = "fine-tuning mini-batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--train-images",
            paramLabel = "N",
            defaultValue = "0",
            description = "fine-tune on the first N images of the training split only (default: all, 55,000)")
    int trainImages;

    @Option(
            names = "--test-images",
            paramLabel = "N",
            defaultValue = "0",
            description = "measure accuracy on the first N test images only (default: all 10,000)")
    int testImages;

    @Option(
            names = "--latency-repeats",
            paramLabel = "N",
            defaultValue = "20",
            description = "timed inference passes per latency (batch 1 and 64; median), 0 = skip (default: "
                    + "${DEFAULT-VALUE})")
    int latencyRepeats;

    @Option(
            names = "--dataset",
            paramLabel = "fashion-mnist|mnist",
            description = "dataset of a model whose sidecar names none (an imported model); default fashion-mnist; "
                    + "none: no images at hand (e.g. a CIFAR-10 model): decompose only, without accuracy, batch-norm "
                    + "re-estimation or fine-tuning")
    String dataset;

    @Option(
            names = "--out",
            paramLabel = "FILE.zip",
            description = "compressed model to write, with FILE.json beside it (default: <model name>-compressed.zip "
                    + "in the working folder)")
    Path out;

    @Option(names = "--json", description = "print one JSON object as the last line of stdout")
    boolean json;

    @Mixin
    MeasurementOptions measurement;

    @Override
    public Integer call() {
        checkOptions();
        Path target = out != null ? out : Path.of(stem(model) + "-compressed.zip");
        if (!target.getFileName().toString().endsWith(".zip")) {
            throw new UserInputException("--out " + target + " must name a .zip file (DL4J's model format)");
        }
        CompressedModels.requireWritable(target);
        long start = System.nanoTime();

        SelectCommand select = selectSteps();
        List<String> phases = new ArrayList<>();
        phases.add(ranks != null ? "load" : "profile");
        phases.add(ranks != null ? "ranks" : "select");
        phases.addAll(Compressor.PHASES);

        RankConfiguration config;
        RankOrigin origin;
        ModelProfiles profiles;
        ConsoleProgress progress = null;
        try {
            if (ranks != null) {
                // every input is checked before the first progress line: a bad ranks file stops with one line
                profiles = ModelProfiles.load(model, measurement.prototxt).withDefaultDataset(fallbackDataset());
                config = readRanks(profiles.loaded());
                origin = RankOrigin.ofFile(Path.of(ranks));
                datasetOf(profiles);
                progress = ConsoleProgress.onStderr();
                progress.startPhase(1, phases.size(), phases.get(0));
                progress.endPhase(profiles.loaded().kind());
                progress.startPhase(2, phases.size(), phases.get(1));
                progress.endPhase(config.ranks().size() + " layers from " + ranks);
            } else {
                progress = ConsoleProgress.onStderr();
                progress.startPhase(1, phases.size(), phases.get(0));
                NetworkProfile profile = select.loadProfile();
                profiles = select.modelProfiles();
                datasetOf(profiles);
                progress.endPhase(profile.layers().size() + " compressible layers"
                        + (profile.hasSensitivity() ? ", sensitivity measured on the held-out split" : ""));
                progress.startPhase(2, phases.size(), phases.get(1));
                SelectionProblem problem = select.problem(profile, select.oracle(profile));
                Selection s = RankSelectors.byId(method).select(problem);
                config = s.configuration();
                origin = new RankOrigin(
                        s.method(), s.metric().id(), targetFlops, targetParams, firstLayer, null, s.searchSeconds());
                progress.endPhase(String.format(
                        Locale.ROOT,
                        "%s on %s: FLOPs %.4f, params %.4f of the compressible layers",
                        s.method(),
                        s.metric().id(),
                        s.flopsRatio(),
                        s.paramsRatio()));
            }
            String ds = datasetOf(profiles);
            CompressionRequest request;
            if (ds == null) {
                progress.note("--dataset none: no accuracy, no batch-norm re-estimation, no fine-tuning");
                request = new CompressionRequest(
                        profiles.loaded(),
                        null,
                        config,
                        origin,
                        null,
                        null,
                        null,
                        FineTuneSchedule.none(),
                        latencyRepeats);
            } else {
                DataSplits splits = profiles.splits(measurement.dataDir, "compress");
                ImageDataset test = testImages > 0 && testImages < splits.test().size()
                        ? splits.test().first(testImages)
                        : splits.test();
                EvaluateCommand.checkInput(profiles.loaded().inputType(), test);
                int calibration =
                        Math.min(measurement.calibrationImages, splits.train().size());
                request = new CompressionRequest(
                        profiles.loaded(),
                        ds,
                        config,
                        origin,
                        splits.train(),
                        calibration == 0 ? null : splits.train().first(calibration),
                        test,
                        new FineTuneSchedule(epochs, learningRate, batchSize, trainImages, seed),
                        latencyRepeats);
            }
            CompressionResult result = Compressor.compress(request, listener(progress, phases.size()));
            ObjectNode sidecar = CompressedModels.write(target, request, result);
            progress.note("wrote " + target + " and " + Sidecars.pathOf(target));
            progress.close();
            progress = null;
            double total = (System.nanoTime() - start) / 1e9;
            if (json) {
                JsonOut.print(toJson(sidecar, target, total));
            } else {
                printSummary(System.out, sidecar, target, total);
            }
            return 0;
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    private void checkOptions() {
        if ((ranks == null) == (method == null)) {
            throw new UserInputException(
                    "give either --ranks FILE.json or --method M with a budget (--target-flops F), not "
                            + (ranks == null ? "neither" : "both"));
        }
        if (ranks != null && (targetFlops != null || targetParams != null || metric != null)) {
            throw new UserInputException(
                    "--target-flops, --target-params and --metric go with --method, not with --ranks " + ranks);
        }
        if (method != null && targetFlops == null && targetParams == null) {
            throw new UserInputException("--method " + method + " needs a budget: --target-flops F and/or "
                    + "--target-params P (fractions in (0, 1] of the compressible layers' cost)");
        }
        if (epochs < 0) {
            throw new UserInputException("--fine-tune-epochs must be >= 0, got " + epochs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new UserInputException("--learning-rate must be a number > 0, got " + learningRate);
        }
        if (batchSize < 1) {
            throw new UserInputException("--batch-size must be >= 1, got " + batchSize);
        }
        if (trainImages < 0) {
            throw new UserInputException("--train-images must be >= 0 (0 = all), got " + trainImages);
        }
        if (testImages < 0) {
            throw new UserInputException("--test-images must be >= 0 (0 = all), got " + testImages);
        }
        if (latencyRepeats < 0) {
            throw new UserInputException("--latency-repeats must be >= 0, got " + latencyRepeats);
        }
        BatchNormRecalibration.checkCount(measurement.calibrationImages, "--calibration-images");
        if (dataset != null && !noData()) {
            KnownDataset.byId(dataset);
        }
    }

    /** select's own steps, configured from this command's options. */
    private SelectCommand selectSteps() {
        SelectCommand s = new SelectCommand();
        s.source = new SelectCommand.Source();
        s.source.model = model;
        s.method = method;
        s.targetFlops = targetFlops;
        s.targetParams = targetParams;
        s.metric = metric == null ? "pca" : metric;
        s.firstLayer = firstLayer;
        s.minRankFraction = minRankFraction;
        s.excludePattern = excludePattern;
        s.seed = seed;
        s.options = options;
        s.measurement = measurement;
        s.defaultDataset = fallbackDataset();
        return s;
    }

    /** --dataset none: the model's images are not at hand (e.g. the paper's CIFAR-10 ResNet-56). */
    private boolean noData() {
        return NO_DATA.equals(dataset);
    }

    private String fallbackDataset() {
        return noData() ? null : dataset != null ? dataset : KnownDataset.FASHION_MNIST.id();
    }

    /** The model's dataset: its sidecar's, else --dataset (fashion-mnist by default); a conflict is an error. */
    private String datasetOf(ModelProfiles p) {
        if (noData()) {
            return null;
        }
        String own = p.loaded()
                .sidecarJson()
                .map(o -> o.path("dataset").asText(null))
                .orElse(null);
        if (own != null && dataset != null && !own.equals(dataset)) {
            throw new UserInputException("--dataset " + dataset + " contradicts the sidecar of --model " + model
                    + ", which says it was trained on " + own);
        }
        return own != null ? own : fallbackDataset();
    }

    private RankConfiguration readRanks(LoadedModel loaded) {
        if (ranks.equals(RankChoice.ORIGINAL)) {
            throw new UserInputException("--ranks original compresses nothing; give a ranks file, rmax or full");
        }
        DecompositionPlan plan =
                DecompositionPlan.withDefaultSchemes(NetworkDescriber.describe(loaded.model(), loaded.inputType()));
        if (plan.layers().isEmpty()) {
            throw new UserInputException("--model " + model + " has no compressible layer");
        }
        RankConfiguration c = RankChoice.resolve(ranks, plan);
        if (c.ranks().isEmpty()) {
            throw new UserInputException("ranks file " + ranks + " names no layer; nothing to compress");
        }
        return c;
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The pipeline's phases as numbered console phases after the first two (profile/select or load/ranks). */
    private static CompressionListener listener(ConsoleProgress progress, int count) {
        return new CompressionListener() {
            private int index = 2;

            @Override
            public void phase(String name, long steps) {
                progress.startPhase(++index, count, name);
                progress.addTasks(steps);
            }

            @Override
            public void step() {
                progress.taskDone();
            }

            @Override
            public void phaseDone(String result) {
                progress.endPhase(result);
            }

            @Override
            public void note(String line) {
                progress.note(line);
            }
        };
    }

    private static ObjectNode toJson(ObjectNode sidecar, Path target, double seconds) {
        ObjectNode o = sidecar.deepCopy();
        o.remove("provenance");
        o.remove("layers");
        o.put("out", target.toString());
        o.put("sidecar", Sidecars.pathOf(target).toString());
        o.put("seconds", Math.round(seconds * 10) / 10.0);
        return o;
    }

    private static String accuracy(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "not measured";
    }

    private static void printSummary(PrintStream out, ObjectNode s, Path target, double seconds) {
        out.printf(Locale.ROOT, "compressed model  %s (sidecar %s)%n", target, Sidecars.pathOf(target));
        out.printf(
                Locale.ROOT,
                "method            %s%s%n",
                s.path("method").asText(),
                s.path("target_flops").isNumber()
                        ? String.format(
                                Locale.ROOT,
                                " at %.4f of the FLOPs",
                                s.path("target_flops").asDouble())
                        : "");
        out.printf(Locale.ROOT, "ranks             %s%n", s.path("ranks"));
        out.printf(
                Locale.ROOT,
                "cost              FLOPs %.4f, params %.4f of the compressible layers; FLOPs %.4f of the whole "
                        + "network%n",
                s.path("flops_ratio").asDouble(),
                s.path("params_ratio").asDouble(),
                s.path("network_flops_ratio").asDouble());
        out.printf(
                Locale.ROOT,
                "test accuracy     original %s, compressed %s (batch norm re-estimated), fine-tuned %s "
                        + "(%d images)%n",
                accuracy(s.path("accuracy_original")),
                accuracy(s.path("accuracy_compressed")),
                accuracy(s.path("accuracy_finetuned")),
                s.path("test_images").asInt());
        var lat = s.path("latency");
        out.printf(
                Locale.ROOT,
                "latency (median)  batch 1: %s → %s ms; batch 64: %s → %s ms%n",
                lat.path("original").path("batch_1_ms").asText("-"),
                lat.path("compressed").path("batch_1_ms").asText("-"),
                lat.path("original").path("batch_64_ms").asText("-"),
                lat.path("compressed").path("batch_64_ms").asText("-"));
        out.printf(Locale.ROOT, "time              %.1f s%n", seconds);
    }
}
