package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.FetchedDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.io.Json;
import io.rankforge.io.OutputPaths;
import io.rankforge.jobs.spark.TaskThreads;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooArtifacts;
import io.rankforge.zoo.ZooTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rankforge zoo ...}: the model zoo. */
@Command(
        name = "zoo",
        mixinStandardHelpOptions = true,
        description = "Train and list the zoo networks.",
        subcommands = {ZooCommand.Train.class, ZooCommand.ListModels.class})
public final class ZooCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** ~/.rankforge/models */
    static Path defaultModelDir() {
        return Path.of(System.getProperty("user.home"), ".rankforge", "models");
    }

    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = {
                "Train a zoo network deterministically on the train split and write FILE.zip "
                        + "(DL4J ModelSerializer) plus FILE.json (architecture, data, accuracy, timing, versions).",
                "ND4J threads: --threads, else OMP_NUM_THREADS (on a busy machine 1 is often much faster than 2)."
            })
    static final class Train implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "lenet5, vgg-mini or resnet-20")
        String model;

        @Option(
                names = "--dataset",
                defaultValue = "fashion-mnist",
                description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE})")
        String dataset;

        @Option(
                names = "--data-dir",
                description = "folder holding the dataset's IDX files (default: found by `data fetch`)")
        Path dataDir;

        @Option(names = "--epochs", description = "epochs (default: the model's own, see `zoo list`)")
        Integer epochs;

        @Option(
                names = "--seed",
                defaultValue = "42",
                description = "seed of initialisation and shuffling (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(
                names = "--train-limit",
                defaultValue = "0",
                description = "train on the first N training images only (default: all)")
        int trainLimit;

        @Option(
                names = "--out",
                description = "model file to write, FILE.zip (default: ~/.rankforge/models/<model>-<dataset>.zip)")
        Path out;

        @Option(
                names = "--threads",
                description = "ND4J/OpenMP/OpenBLAS threads (default: OMP_NUM_THREADS, else one per core); "
                        + "the weights depend on it, see docs/zoo.md")
        Integer threads;

        @Option(
                names = "--json",
                description = "print one JSON object (the sidecar plus paths) as the last line of stdout")
        boolean json;

        @Override
        public Integer call() {
            if (threads != null) {
                if (threads < 1) {
                    throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
                }
                TaskThreads.apply(threads);
            }
            ZooArchitecture arch = ZooArchitecture.byId(model);
            KnownDataset d = KnownDataset.byId(dataset);
            int e = epochs == null ? arch.defaultEpochs() : epochs;
            if (e < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + e);
            }
            if (trainLimit < 0) {
                throw new IllegalArgumentException("--train-limit must be >= 0, got " + trainLimit);
            }
            Path target = out != null ? out : defaultModelDir().resolve(arch.id() + "-" + d.id() + ".zip");
            if (!target.getFileName().toString().endsWith(".zip")) {
                throw new IllegalArgumentException("--out must name a .zip file, got " + target);
            }
            OutputPaths.requireWritableFile(target, "outputFile " + target, "model.zip"); // before training
            FetchedDataset f = DatasetFetcher.standard(System.err::println).fetch(d, dataDir);
            DataSplits splits = f.splits();
            System.err.printf(
                    "zoo: training %s on %s (%d images, %d epochs, seed %d, %d ND4J threads)%n",
                    arch.id(),
                    d.id(),
                    trainLimit > 0
                            ? Math.min(trainLimit, splits.train().size())
                            : splits.train().size(),
                    e,
                    seed,
                    ZooTrainer.nativeThreads());
            TrainedModel t = ZooTrainer.train(arch, d.id(), splits, e, seed, trainLimit, System.err::println);
            ObjectNode data = DataCommand.describe(f);
            data.remove("attempts");
            data.put("held_out_images", splits.heldOut().size());
            data.put("held_out_seed", splits.heldOutSeed());
            data.put("test_images", splits.test().size());
            ObjectNode side = ZooArtifacts.save(t, target, data);
            System.err.println("zoo: wrote " + target.toAbsolutePath() + " (test accuracy "
                    + side.path("test_accuracy").asText() + ")");
            if (json) {
                ObjectNode o = side.deepCopy();
                o.put("model_path", target.toAbsolutePath().toString());
                o.put(
                        "sidecar_path",
                        io.rankforge.model.ModelLoader.sidecarPath(target.toAbsolutePath())
                                .toString());
                JsonOut.print(o);
            } else {
                System.out.println(target.toAbsolutePath());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the zoo networks.")
    static final class ListModels implements Callable<Integer> {
        @Option(names = "--json", description = "print one JSON object as the last line of stdout")
        boolean json;

        @Override
        public Integer call() {
            ObjectNode o = Json.object();
            var models = o.putArray("models");
            for (ZooArchitecture a : ZooArchitecture.values()) {
                models.addObject()
                        .put("id", a.id())
                        .put("kind", a.kind())
                        .put("default_epochs", a.defaultEpochs())
                        .put("batch_size", a.batchSize())
                        .put("summary", a.summary());
                if (!json) {
                    System.out.printf("%-12s %-17s %2d epochs  %s%n", a.id(), a.kind(), a.defaultEpochs(), a.summary());
                }
            }
            if (json) {
                JsonOut.print(o);
            }
            return 0;
        }
    }
}
