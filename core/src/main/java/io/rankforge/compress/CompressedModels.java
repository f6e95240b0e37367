package io.rankforge.compress;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.decompose.CompressionCost;
import io.rankforge.eval.Evaluation;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import io.rankforge.io.ModelZips;
import io.rankforge.io.OutputPaths;
import io.rankforge.io.Provenance;
import io.rankforge.io.Sha256;
import io.rankforge.io.Sidecars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Writes a compressed network: DL4J's ModelSerializer zip (no updater state) and its JSON sidecar beside it
 * ({@link Sidecars#pathOf}), each to a temporary file that is then renamed; when the sidecar cannot be written the
 * zip is removed again, so a failed write leaves neither. The sidecar carries {@code input_shape} and
 * {@code dataset}, so every command loads the compressed model like a zoo model.
 */
public final class CompressedModels {
    public static final String SIDECAR_FORMAT = "rankforge-compressed-model/1";

    private CompressedModels() {}

    /**
     * Fails before any work when {@code out} is a folder, or when the nearest existing folder on its path cannot
     * take a new file (checked by creating and deleting one).
     */
    public static void requireWritable(Path out) {
        OutputPaths.requireWritableFile(out, "outputFile " + out, "model.zip");
    }

    /** Writes the model and its sidecar; returns the sidecar written. */
    public static ObjectNode write(Path out, CompressionRequest request, CompressionResult result) {
        try {
            AtomicFiles.write(out, os -> ModelZips.write(result.network(), os));
        } catch (UncheckedIOException e) {
            throw new UserInputException("outputFile " + out + " cannot be written: " + e.getMessage(), e);
        }
        Path side = Sidecars.pathOf(out);
        try {
            ObjectNode sidecar = sidecar(out, Sha256.of(out), request, result);
            AtomicFiles.writeString(side, Json.pretty(sidecar) + "\n");
            return sidecar;
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // the error below is what the user needs to see
            }
            if (e instanceof UncheckedIOException) {
                throw new UserInputException(
                        "outputFile " + out + ": its sidecar " + side + " cannot be written: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The sidecar of a compressed model written to {@code out} (whose SHA-256 is {@code sha256}). */
    public static ObjectNode sidecar(Path out, String sha256, CompressionRequest q, CompressionResult r) {
        ObjectNode o = Json.object();
        o.put("format", SIDECAR_FORMAT);
        o.put("kind", r.network().getClass().getSimpleName());
        putText(o, "dataset", q.dataset());
        InputType in = q.source().inputType();
        if (in instanceof InputType.InputTypeConvolutional c) {
            o.putArray("input_shape").add(c.getChannels()).add(c.getHeight()).add(c.getWidth());
        }
        o.put("model_file", out.getFileName().toString());
        o.put("model_sha256", sha256);
        o.put("parameters", r.network().numParams());

        ObjectNode src = o.putObject("source");
        src.put("model", q.source().path().toAbsolutePath().toString());
        src.put("sha256", q.source().sha256());
        src.put("kind", q.source().kind());
        q.source().sidecarJson().ifPresent(s -> {
            if (s.hasNonNull("architecture")) {
                src.put("architecture", s.get("architecture").asText());
            }
        });

        RankOrigin origin = q.origin();
        o.put("method", origin.method());
        putText(o, "metric", origin.metric());
        putNumber(o, "target_flops", origin.targetFlops());
        putNumber(o, "target_params", origin.targetParams());
        putText(o, "first_layer", origin.firstLayer());
        putText(
                o,
                "ranks_file",
                origin.ranksFile() == null ? null : origin.ranksFile().toString());
        ObjectNode ranks = o.putObject("ranks");
        r.ranks().ranks().forEach(ranks::put);
        ArrayNode schemes = o.putArray("layers");
        for (var l : r.plan().layers()) {
            ObjectNode x = schemes.addObject();
            x.put("name", l.name()).put("scheme", r.plan().scheme(l.name()).id());
            if (r.ranks().contains(l.name())) {
                x.put("rank", r.ranks().rank(l.name()));
            } else {
                x.putNull("rank");
            }
            x.put("full_rank", r.plan().fullRank(l.name()))
                    .put("r_max", r.plan().rMax(l.name()));
        }

        CompressionCost c = r.cost();
        o.put(
                "ratios",
                "flops_ratio and params_ratio count the compressible layers (convolutions and dense layers) only; "
                        + "network_flops_ratio and network_params_ratio the whole network; FLOPs are MACs per image");
        o.put("flops_ratio", c.compressibleFlopsRatio());
        o.put("params_ratio", c.compressibleParamsRatio());
        o.put("network_flops_ratio", c.networkFlopsRatio());
        o.put("network_params_ratio", c.networkParamsRatio());
        ObjectNode cost = o.putObject("cost");
        cost.put("original_compressible_macs", c.originalCompressibleMacs())
                .put("compressible_macs", c.compressibleMacs())
                .put("original_compressible_params", c.originalCompressibleParams())
                .put("compressible_params", c.compressibleParams())
                .put("original_network_macs", c.originalNetworkMacs())
                .put("network_macs", c.networkMacs())
                .put("original_network_params", c.originalNetworkParams())
                .put("network_params", c.networkParams());

        o.put("test_images", r.original() == null ? 0 : r.original().total());
        putAccuracy(o, "accuracy_original", r.original());
        putAccuracy(o, "accuracy_compressed", r.compressed());
        putAccuracy(o, "accuracy_finetuned", r.fineTuned());
        ObjectNode bn = o.putObject("batch_norm");
        bn.put("calibration_images", r.calibrationImages());
        ArrayNode layers = bn.putArray("recalibrated_layers");
        r.recalibratedLayers().forEach(layers::add);

        FineTuneSchedule s = q.fineTune();
        ObjectNode ft = o.putObject("fine_tuning");
        ft.put("epochs", s.epochs());
        ft.put("optimizer", "adam");
        ft.put("learning_rate", s.learningRate());
        ft.put("schedule", "cosine decay per iteration from learning_rate to 0");
        ft.put("batch_size", s.batchSize());
        ft.put("train_images", r.fineTuning().images());
        ft.put("iterations", r.fineTuning().iterations());
        ft.put("seed", s.seed());
        ArrayNode losses = ft.putArray("epoch_loss");
        r.fineTuning().epochLoss().forEach(losses::add);
        ft.put("seconds", round(r.fineTuning().seconds()));

        ObjectNode lat = o.putObject("latency");
        lat.put("statistic", "median wall time of one inference pass, milliseconds");
        latencies(lat.putObject("original"), r.originalLatency());
        latencies(lat.putObject("compressed"), r.compressedLatency());
        lat.put("repeats", q.latencyRepeats());

        ObjectNode phases = o.putObject("phase_seconds");
        r.phaseSeconds().forEach((k, v) -> phases.put(k, round(v)));
        ObjectNode prov = Provenance.describe();
        o.put("git_commit", prov.path("git_commit").asText());
        o.set("provenance", prov);
        return o;
    }

    private static void latencies(ObjectNode o, List<Latency> ls) {
        for (Latency l : ls) {
            o.put("batch_" + l.batch() + "_ms", Math.round(l.medianMillis() * 1000) / 1000.0);
        }
    }

    private static void putAccuracy(ObjectNode o, String key, Evaluation e) {
        if (e == null) {
            o.putNull(key); // no test images (e.g. a CIFAR-10 model compressed with --dataset none)
        } else {
            o.put(key, e.accuracy());
        }
    }

    private static void putText(ObjectNode o, String key, String v) {
        if (v == null) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static void putNumber(ObjectNode o, String key, Double v) {
        if (v == null) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
