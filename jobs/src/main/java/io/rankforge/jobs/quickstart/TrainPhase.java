package io.rankforge.jobs.quickstart;

import io.rankforge.data.DataSplits;
import io.rankforge.eval.Evaluator;
import io.rankforge.jobs.run.ConsoleProgress;
import io.rankforge.model.ModelLoader;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooArtifacts;
import io.rankforge.zoo.ZooTrainer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Trains the quickstart's model into DIR/model/ (DL4J zip plus JSON sidecar), or reuses the one a
 * previous run left there when the file's digest and the training settings both match
 * (see {@link TrainedModelCache}). Its accuracy is measured on the images the trials use (the first
 * data.test-images test images, the first data.measure-images held-out images), so that the
 * uncompressed and compressed accuracies compare like with like.
 */
final class TrainPhase {
    /** The model file and what is known about it. */
    record Result(Path file, String sha256, double testAccuracy, int testImages, double trainSeconds, boolean reused) {}

    private TrainPhase() {}

    static Result run(QuickstartSettings s, DataSplits all, ConsoleProgress progress) {
        var d = s.job().data();
        DataSplits splits = new DataSplits(
                all.train(),
                all.heldOut().first(d.measureImages()),
                all.test().first(d.testImages()),
                all.heldOutSeed());
        int testImages = splits.test().size();
        TrainedModelCache cache = TrainedModelCache.at(s.modelFile());
        Optional<String> stored = cache.reusable(s.trainingSettings());
        if (stored.isPresent()) {
            var stamp = cache.stamp();
            double acc = stamp.path("test_accuracy").asDouble(Double.NaN);
            if (stamp.path("test_images").asInt() != testImages || Double.isNaN(acc)) {
                acc = Evaluator.evaluate(ModelLoader.load(cache.modelFile()).model(), splits.test())
                        .accuracy();
                cache.recordAccuracy(acc, testImages);
            }
            return new Result(
                    cache.modelFile(),
                    stored.get(),
                    acc,
                    testImages,
                    stamp.path("train_seconds").asDouble(0),
                    true);
        }
        ZooArchitecture arch = ZooArchitecture.byId(s.model());
        progress.addTasks(s.trainEpochs());
        TrainedModel trained =
                ZooTrainer.train(arch, d.dataset(), splits, s.trainEpochs(), s.trainSeed(), s.trainImages(), line -> {
                    if (line.contains(" epoch ")) {
                        progress.taskDone();
                    }
                    progress.note(line);
                });
        ZooArtifacts.save(trained, cache.modelFile(), null);
        String digest =
                cache.record(s.trainingSettings(), trained.trainingSeconds(), trained.testAccuracy(), testImages);
        return new Result(
                cache.modelFile(), digest, trained.testAccuracy(), testImages, trained.trainingSeconds(), false);
    }
}
