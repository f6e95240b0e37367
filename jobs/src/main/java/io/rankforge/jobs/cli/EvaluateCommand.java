package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.ImageDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.decompose.CompressionCost;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.decompose.RankChoice;
import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.eval.Evaluation;
import io.rankforge.eval.Evaluator;
import io.rankforge.io.Json;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.model.NetworkDescription;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rankforge evaluate}: accuracy and cost of a model, as it is or decomposed to given ranks. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Top-1 accuracy of a model on a dataset split, original or decomposed, with its MACs and parameters "
                    + "(compressible layers and whole network, and their ratios to the original), the ranks "
                    + "used and images per second.",
            "Compressible layers: convolutions and dense layers. Whole network: every stored parameter "
                    + "(batch norm included); "
                    + "MACs of every layer that multiplies weights (batch norm, pooling and activations not counted)."
        })
public final class EvaluateCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "model file (.zip written by `zoo train`, or an imported model)")
    Path model;

    @Option(
            names = "--dataset",
            defaultValue = "fashion-mnist",
            description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "folder holding the dataset's IDX files (default: found as `data fetch` does)")
    Path dataDir;

    @Option(
            names = "--ranks",
            defaultValue = RankChoice.ORIGINAL,
            paramLabel = "original|full|rmax|FILE.json",
            description = {
                "original: the model as it is; full: every compressible layer decomposed at full rank (same outputs, "
                        + "check of the decomposition); rmax: every layer at its parameter-neutral rank; "
                        + "FILE.json: {\"layer\": rank, ...}, "
                        + "other layers uncompressed (default: ${DEFAULT-VALUE})"
            })
    String ranks;

    @Option(
            names = "--split",
            defaultValue = "test",
            description = "test (ground truth, default) or held-out (the split every measured metric uses)")
    String split;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "evaluate the first N images of the split only (default: all)")
    int limit;

    @Option(
            names = "--batch",
            defaultValue = "" + Evaluator.DEFAULT_BATCH,
            paramLabel = "N",
            description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--calibration-images",
            defaultValue = "" + BatchNormRecalibration.DEFAULT_IMAGES,
            paramLabel = "N",
            description =
                    "re-estimate the batch-norm statistics of a decomposed network from the first N training images "
                            + "before evaluating it, as every job of a study does; 0 = keep the trained "
                            + "statistics (default: ${DEFAULT-VALUE}; "
                            + "never applied to --ranks original)")
    int calibrationImages;

    @Option(
            names = "--json",
            description = "print one JSON object as the last line of stdout (everything else goes to stderr)")
    boolean json;

    private java.util.List<String> recalibrated = java.util.List.of();
    private int calibrationUsed;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new UserInputException("--limit must be >= 0, got " + limit);
        }
        if (batch < 1) {
            throw new UserInputException("--batch must be >= 1, got " + batch);
        }
        BatchNormRecalibration.checkCount(calibrationImages, "--calibration-images");
        if (!split.equals("test") && !split.equals("held-out")) {
            throw new UserInputException("--split must be test or held-out, got '" + split + "'");
        }
        KnownDataset ds = KnownDataset.byId(dataset);
        LoadedModel loaded = ModelLoader.load(model);
        NetworkDescription description = NetworkDescriber.describe(loaded.model(), loaded.inputType());
        if (description.layers().isEmpty() && !ranks.equals(RankChoice.ORIGINAL)) {
            throw new UserInputException(
                    "model " + model + " has no compressible layer; only --ranks original applies");
        }
        DecompositionPlan plan = DecompositionPlan.withDefaultSchemes(description);
        RankConfiguration config = RankChoice.resolve(ranks, plan);

        DataSplits splits =
                DatasetFetcher.standard(System.err::println).fetch(ds, dataDir).splits();
        ImageDataset data = split.equals("test") ? splits.test() : splits.heldOut();
        if (limit > 0) {
            data = data.first(limit);
        }
        checkInput(loaded.inputType(), data);

        long t0 = System.nanoTime();
        Model net = config.ranks().isEmpty()
                ? loaded.model()
                : Decomposer.of(loaded.model(), plan).decompose(config);
        double decomposeSeconds = (System.nanoTime() - t0) / 1e9;
        int calibrated = config.ranks().isEmpty()
                ? 0
                : Math.min(calibrationImages, splits.train().size());
        recalibrated = calibrated == 0
                ? java.util.List.of()
                : BatchNormRecalibration.recalibrate(net, splits.train().first(calibrated));
        calibrationUsed = recalibrated.isEmpty() ? 0 : calibrated;
        Evaluation e = Evaluator.evaluate(net, data, batch);
        CompressionCost cost = plan.cost(config);

        PrintStream text = json ? System.err : System.out;
        printText(text, loaded, ds, data, config, plan, e, cost, decomposeSeconds);
        if (json) {
            JsonOut.print(toJson(loaded, ds, data, config, plan, e, cost, decomposeSeconds));
        }
        return 0;
    }

    static void checkInput(InputType type, ImageDataset data) {
        if (type instanceof InputType.InputTypeConvolutional c
                && (c.getChannels() != 1 || c.getHeight() != data.height() || c.getWidth() != data.width())) {
            throw new UserInputException(
                    "the model expects " + c.getChannels() + "x" + c.getHeight() + "x" + c.getWidth()
                            + " inputs but the dataset's images are 1x" + data.height() + "x" + data.width()
                            + ": evaluate it on a dataset of its own input shape");
        }
    }

    private void printText(
            PrintStream out,
            LoadedModel m,
            KnownDataset ds,
            ImageDataset data,
            RankConfiguration config,
            DecompositionPlan plan,
            Evaluation e,
            CompressionCost c,
            double decomposeSeconds) {
        out.printf(
                Locale.ROOT,
                "model       %s (%s, sha256 %s)%n",
                m.path(),
                m.kind(),
                m.sha256().substring(0, Math.min(12, m.sha256().length())));
        out.printf(Locale.ROOT, "dataset     %s, %s split, %d images%n", ds.id(), split, data.size());
        out.printf(
                Locale.ROOT,
                "ranks       %s: %d of %d compressible layers decomposed%s%n",
                ranks,
                config.ranks().size(),
                plan.layers().size(),
                config.ranks().isEmpty() ? "" : String.format(Locale.ROOT, " (built in %.2f s)", decomposeSeconds));
        out.printf(
                Locale.ROOT,
                "batch norm  %s%n",
                calibrationUsed > 0
                        ? "statistics of " + recalibrated.size() + " layers re-estimated from " + calibrationUsed
                                + " training images"
                        : config.ranks().isEmpty() || calibrationImages == 0
                                ? "trained statistics"
                                : "no batch-norm layer");
        out.printf(Locale.ROOT, "accuracy    %.4f (%d / %d correct, top-1)%n", e.accuracy(), e.correct(), e.total());
        out.printf(Locale.ROOT, "throughput  %.1f images/s (batch %d)%n", e.imagesPerSecond(), batch);
        out.printf(Locale.ROOT, "%-28s %14s %14s %8s%n", "cost (per image)", "original", "this model", "ratio");
        row(
                out,
                "compressible layers MACs",
                c.originalCompressibleMacs(),
                c.compressibleMacs(),
                c.compressibleFlopsRatio());
        row(
                out,
                "compressible layers params",
                c.originalCompressibleParams(),
                c.compressibleParams(),
                c.compressibleParamsRatio());
        row(out, "whole network MACs", c.originalNetworkMacs(), c.networkMacs(), c.networkFlopsRatio());
        row(out, "whole network params", c.originalNetworkParams(), c.networkParams(), c.networkParamsRatio());
        out.printf(Locale.ROOT, "%-14s %-8s %6s %6s %6s%n", "layer", "scheme", "rank", "full", "r_max");
        for (LayerSpec l : plan.layers()) {
            String r = config.contains(l.name()) ? String.valueOf(config.rank(l.name())) : "orig";
            out.printf(
                    Locale.ROOT,
                    "%-14s %-8s %6s %6d %6d%n",
                    l.name(),
                    plan.scheme(l.name()).id(),
                    r,
                    plan.fullRank(l.name()),
                    plan.rMax(l.name()));
        }
        if (!plan.description().unsupported().isEmpty()) {
            out.println("not decomposable (kept as they are): "
                    + String.join(", ", plan.description().unsupported()));
        }
    }

    private static void row(PrintStream out, String what, long original, long now, double ratio) {
        out.printf(Locale.ROOT, "%-28s %14d %14d %8.4f%n", what, original, now, ratio);
    }

    private ObjectNode toJson(
            LoadedModel m,
            KnownDataset ds,
            ImageDataset data,
            RankConfiguration config,
            DecompositionPlan plan,
            Evaluation e,
            CompressionCost c,
            double decomposeSeconds) {
        ObjectNode o = Json.object();
        o.put("model", m.path().toAbsolutePath().toString());
        o.put("model_kind", m.kind());
        o.put("model_sha256", m.sha256());
        o.put("dataset", ds.id());
        o.put("split", split);
        o.put("images", data.size());
        o.put("ranks_choice", ranks);
        o.put("accuracy", e.accuracy());
        o.put("correct", e.correct());
        o.put("images_per_second", e.imagesPerSecond());
        o.put("evaluation_seconds", e.seconds());
        o.put("decompose_seconds", decomposeSeconds);
        o.put("batch", batch);
        o.put("calibration_images", calibrationUsed);
        var rl = o.putArray("recalibrated_layers");
        recalibrated.forEach(rl::add);
        ObjectNode comp = o.putObject("compressible_layers");
        comp.put("original_macs", c.originalCompressibleMacs())
                .put("macs", c.compressibleMacs())
                .put("flops_ratio", c.compressibleFlopsRatio());
        comp.put("original_params", c.originalCompressibleParams())
                .put("params", c.compressibleParams())
                .put("params_ratio", c.compressibleParamsRatio());
        ObjectNode net = o.putObject("whole_network");
        net.put("original_macs", c.originalNetworkMacs())
                .put("macs", c.networkMacs())
                .put("flops_ratio", c.networkFlopsRatio());
        net.put("original_params", c.originalNetworkParams())
                .put("params", c.networkParams())
                .put("params_ratio", c.networkParamsRatio());
        ObjectNode r = o.putObject("ranks");
        config.ranks().forEach(r::put);
        var layers = o.putArray("layers");
        for (LayerSpec l : plan.layers()) {
            ObjectNode x = layers.addObject();
            x.put("name", l.name()).put("scheme", plan.scheme(l.name()).id());
            if (config.contains(l.name())) {
                x.put("rank", config.rank(l.name()));
            } else {
                x.putNull("rank");
            }
            x.put("full_rank", plan.fullRank(l.name())).put("r_max", plan.rMax(l.name()));
            x.put("original_macs", l.macs()).put("original_params", l.params());
        }
        var unsupported = o.putArray("not_decomposable");
        plan.description().unsupported().forEach(unsupported::add);
        return o;
    }
}
