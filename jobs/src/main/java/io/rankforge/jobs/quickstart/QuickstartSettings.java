package io.rankforge.jobs.quickstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.config.Settings;
import io.rankforge.io.Installation;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.runtime.TrainingKernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The quickstart's configuration: the study's {@link JobConfig} (conf/quickstart.conf plus --set,
 * with the output folder and the model file filled in) and its own keys, rankforge.quickstart.*.
 *
 * @param job          what the study's jobs read
 * @param out          the study folder (DIR): tables, model, report, summary.json
 * @param model        zoo architecture to train
 * @param trainEpochs  training epochs of the model
 * @param trainImages  training images per epoch (0 = the whole train split)
 * @param trainSeed    training seed
 */
public record QuickstartSettings(
        JobConfig job,
        Path out,
        String model,
        int trainEpochs,
        int trainImages,
        long trainSeed,
        Path confFile,
        List<String> userOverrides) {
    public QuickstartSettings {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(confFile, "confFile");
        userOverrides = List.copyOf(userOverrides);
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(model, "model");
    }

    /** conf/quickstart.conf of the installation ({@link Installation#home()}). */
    public static Path defaultConfFile() {
        return Installation.home().resolve("conf").resolve("quickstart.conf");
    }

    /**
     * Reads {@code file} with the "key=value" overrides; {@code outOverride} (--out, may be null) wins over
     * rankforge.experiment.output. The study's model is DIR/model/&lt;model&gt;.zip.
     */
    public static QuickstartSettings load(Path file, List<String> sets, Path outOverride) {
        List<String> overrides = new ArrayList<>(sets);
        if (outOverride != null) {
            overrides.add("experiment.output=" + Json.line(outOverride.toString()));
        }
        Settings s = Settings.load(file, overrides, JobConfig.FREE_FORM);
        Path out = Path.of(s.string("rankforge.experiment.output"));
        String model = s.string("rankforge.quickstart.model");
        JobConfig job = JobConfig.loadWithModels(
                file, overrides, List.of(modelFile(out, model).toString()));
        Settings all = job.settings();
        return new QuickstartSettings(
                job,
                out,
                model,
                all.integer("rankforge.quickstart.train.epochs", 1, 1000),
                all.integer("rankforge.quickstart.train.images", 0, 60_000),
                all.integer("rankforge.quickstart.train.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                file,
                overrides);
    }

    /** The training settings that decide whether a stored model can be reused. */
    public ObjectNode trainingSettings() {
        ObjectNode o = Json.object();
        o.put("model", model);
        o.put("dataset", job.data().dataset());
        o.put("held_out", job.data().heldOut());
        o.put("held_out_seed", job.data().heldOutSeed());
        o.put("epochs", trainEpochs);
        o.put("images", trainImages);
        o.put("seed", trainSeed);
        o.put("batch_norm_kernel", TrainingKernels.label()); // rounding differs between the kernels
        return o;
    }

    /** Where the trained model lives: DIR/model/&lt;model&gt;.zip. */
    public Path modelFile() {
        return modelFile(out, model);
    }

    private static Path modelFile(Path out, String model) {
        return out.resolve("model").resolve(model + ".zip");
    }
}
