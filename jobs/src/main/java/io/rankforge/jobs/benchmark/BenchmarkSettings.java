package io.rankforge.jobs.benchmark;

import io.rankforge.config.Settings;
import io.rankforge.io.Installation;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.zoo.ZooArchitecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The benchmark's configuration: the experiment's {@link JobConfig} (methods and budgets from rankforge.select, data
 * from rankforge.data, with the trained models filled in as experiment.models) and rankforge.benchmark.*.
 *
 * @param job             what the shared jobs (profile, sensitivity) read
 * @param output          rankforge.experiment.output as configured: a local folder or any Hadoop URI
 * @param out             the local folder of the driver's files: trained models (models/), leaderboard.md,
 *                        leaderboard/, summary.json; the output itself when it is local, else
 *                        rankforge.benchmark.local-dir (published to the output from there)
 * @param models          zoo architectures to train (or reuse) and benchmark
 * @param trainEpochs     training epochs, 0 = each architecture's documented default
 * @param trainImages     training images per epoch, 0 = the whole train split
 * @param trainSeed       training seed
 * @param trainThreads    ND4J/OpenMP/BLAS threads of the driver's training (every core when configured as 0)
 * @param seeds           fine-tuning seeds per compression (2 or more give intervals)
 * @param fineTuneEpochs  fine-tuning epochs (0 = none)
 * @param learningRate    fine-tuning's initial Adam learning rate (cosine decay to 0)
 * @param batchSize       fine-tuning mini-batch
 * @param fineTuneImages  fine-tuning images: the first n of the train split
 * @param latencyRepeats  timed forward passes per latency (0 = none)
 * @param tasksPerBatch   compressions per committed journal batch
 * @param validation      also run the validation study on every model (the sweep's iso-cost strata, then validate)
 */
public record BenchmarkSettings(
        JobConfig job,
        String output,
        Path out,
        List<ZooArchitecture> models,
        int trainEpochs,
        int trainImages,
        long trainSeed,
        int trainThreads,
        int seeds,
        int fineTuneEpochs,
        double learningRate,
        int batchSize,
        int fineTuneImages,
        int latencyRepeats,
        int tasksPerBatch,
        boolean validation,
        List<Path> referenceProfiles) {
    public BenchmarkSettings {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(out, "out");
        models = List.copyOf(models);
        referenceProfiles = List.copyOf(referenceProfiles);
    }

    /** Reads {@code file} with the "key=value" overrides. */
    public static BenchmarkSettings load(Path file, List<String> sets) {
        List<String> overrides = new ArrayList<>(sets);
        Settings s = Settings.load(file, overrides, JobConfig.FREE_FORM);
        String output = s.string("rankforge.experiment.output");
        Path out = isRemote(output) ? localDir(s, output) : localPath(output);
        List<String> ids = s.strings("rankforge.benchmark.models");
        if (ids.isEmpty()) {
            throw s.invalid("rankforge.benchmark.models", "needs at least one zoo model of " + ZooArchitecture.ids());
        }
        List<ZooArchitecture> models = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String id : ids) {
            ZooArchitecture a;
            try {
                a = ZooArchitecture.byId(id);
            } catch (io.rankforge.UserInputException e) {
                throw s.invalid("rankforge.benchmark.models", e.getMessage());
            }
            if (models.contains(a)) {
                throw s.invalid("rankforge.benchmark.models", "lists " + a.id() + " twice");
            }
            models.add(a);
            files.add(modelLocation(output, out, a));
        }
        JobConfig job = JobConfig.loadWithModels(file, overrides, files);
        Settings all = job.settings();
        return new BenchmarkSettings(
                job,
                output,
                out,
                models,
                all.integer("rankforge.benchmark.train.epochs", 0, 1000),
                all.integer("rankforge.benchmark.train.images", 0, 60_000),
                all.integer("rankforge.benchmark.train.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                trainThreads(all.integer("rankforge.benchmark.train.threads", 0, 1024)),
                all.integer("rankforge.benchmark.seeds", 1, 100),
                all.integer("rankforge.benchmark.fine-tune.epochs", 0, 1000),
                all.positive("rankforge.benchmark.fine-tune.learning-rate", 1),
                all.integer("rankforge.benchmark.fine-tune.batch-size", 1, 100_000),
                all.integer("rankforge.benchmark.fine-tune.images", 1, 60_000),
                all.integer("rankforge.benchmark.latency-repeats", 0, 10_000),
                all.integer("rankforge.benchmark.tasks-per-batch", 1, 10_000),
                all.flag("rankforge.benchmark.validation"),
                referenceProfiles(all));
    }

    /** The ENC reference folders (Net_def.txt, R_list.txt, ...) whose selections stand beside the zoo. */
    private static List<Path> referenceProfiles(Settings all) {
        String key = "rankforge.benchmark.reference-profiles";
        List<Path> out = new ArrayList<>();
        for (String dir : all.strings(key)) {
            Path p = Path.of(dir);
            if (!p.isAbsolute() && !io.rankforge.profile.ReferenceProfileReader.isReferenceFolder(p)) {
                // the shipped data (reference/enc/...) of the installation, wherever the command runs from
                p = Installation.home().resolve(dir);
            }
            if (!io.rankforge.profile.ReferenceProfileReader.isReferenceFolder(p)) {
                throw all.invalid(
                        key,
                        "'" + dir + "' is not a folder of the ENC reference data (Net_def.txt, "
                                + "R_list.txt, eigenvalue.conf): give the path of e.g. reference/enc/vgg16");
            }
            out.add(p);
        }
        return out;
    }

    /** Training epochs of {@code a}: the configured number, or its documented default. */
    public int epochsOf(ZooArchitecture a) {
        return trainEpochs > 0 ? trainEpochs : a.defaultEpochs();
    }

    /** Where the trained model of {@code a} lives: OUT/models/&lt;id&gt;.zip. */
    public Path modelFile(ZooArchitecture a) {
        return modelFile(out, a);
    }

    private static Path modelFile(Path out, ZooArchitecture a) {
        return out.resolve("models").resolve(a.id() + ".zip");
    }

    private static int trainThreads(long configured) {
        return configured > 0 ? (int) configured : Runtime.getRuntime().availableProcessors();
    }

    /** Where summary.json is written last: under the output, local or not. */
    public String summaryLocation() {
        return remote()
                ? under(output, "summary.json")
                : out.resolve("summary.json").toAbsolutePath().toString();
    }

    /** Whether the output is a Hadoop URI of another filesystem than the local one (hdfs://, s3a://, ...). */
    public boolean remote() {
        return isRemote(output);
    }

    /** Where the jobs read the trained model of {@code a}: OUTPUT/models/&lt;id&gt;.zip on the output's filesystem. */
    public String modelUri(ZooArchitecture a) {
        return modelLocation(output, out, a);
    }

    private static String modelLocation(String output, Path out, ZooArchitecture a) {
        return isRemote(output)
                ? under(output, "models/" + a.id() + ".zip")
                : modelFile(out, a).toString();
    }

    /** {@code relative} under the output URI. */
    private static String under(String output, String relative) {
        return output.replaceAll("/+$", "") + "/" + relative;
    }

    /** The output's scheme, as the result store reads it (Hadoop's Path); null for a plain local path. */
    private static String scheme(String output) {
        return output.isBlank()
                ? null
                : new org.apache.hadoop.fs.Path(output).toUri().getScheme();
    }

    static boolean isRemote(String output) {
        String scheme = scheme(output);
        return scheme != null && !scheme.equalsIgnoreCase("file");
    }

    private static Path localPath(String output) {
        return scheme(output) == null
                ? Path.of(output)
                : Path.of(new org.apache.hadoop.fs.Path(output).toUri().getPath());
    }

    /** rankforge.benchmark.local-dir, or ~/.rankforge/benchmark/&lt;digest of the output URI&gt;. */
    private static Path localDir(Settings s, String output) {
        String dir = s.string("rankforge.benchmark.local-dir");
        if (!dir.isBlank()) {
            return Path.of(dir);
        }
        String digest = io.rankforge.io.Sha256.of(output.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Path.of(System.getProperty("user.home"), ".rankforge", "benchmark", digest.substring(0, 16));
    }

    /** The fine-tuning settings, as the leaderboard describes them. */
    public String describeFineTune() {
        return fineTuneEpochs == 0
                ? "none"
                : String.format(
                        java.util.Locale.ROOT,
                        "%d epoch(s), Adam from %s with cosine decay, batch %d, first %d training images, %d seed(s)",
                        fineTuneEpochs,
                        learningRate,
                        batchSize,
                        fineTuneImages,
                        seeds);
    }
}
