package io.rankforge.jobs.benchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.data.DataSplits;
import io.rankforge.eval.Evaluator;
import io.rankforge.io.Json;
import io.rankforge.jobs.quickstart.TrainedModelCache;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.spark.TaskThreads;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.model.NetworkDescription;
import io.rankforge.runtime.TrainingKernels;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooArtifacts;
import io.rankforge.zoo.ZooTrainer;
import java.util.Optional;

/**
 * Trains each benchmarked zoo model into OUT/models/&lt;id&gt;.zip with its documented schedule (or the configured
 * epochs and images), or reuses the file a previous run left there when its digest and the training settings both
 * match ({@link TrainedModelCache}, as the quickstart does). Accuracy is measured on the benchmark's test images.
 */
final class ZooModels {
    private ZooModels() {}

    static TrainedZooModel trainOrReuse(ZooArchitecture a, BenchmarkSettings s, DataSplits splits, Progress p) {
        var d = s.job().data();
        ObjectNode settings = Json.object();
        settings.put("model", a.id());
        settings.put("dataset", d.dataset());
        settings.put("held_out", d.heldOut());
        settings.put("held_out_seed", d.heldOutSeed());
        settings.put("epochs", s.epochsOf(a));
        settings.put("images", s.trainImages());
        settings.put("seed", s.trainSeed());
        settings.put("threads", s.trainThreads());
        settings.put("batch_norm_kernel", TrainingKernels.label()); // rounding differs between the kernels
        TrainedModelCache cache = TrainedModelCache.at(s.modelFile(a));
        int testImages = splits.test().size();
        Optional<String> stored = cache.reusable(settings);
        if (stored.isPresent()) {
            var stamp = cache.stamp();
            double acc = stamp.path("test_accuracy").asDouble(Double.NaN);
            LoadedModel m = ModelLoader.load(cache.modelFile());
            if (stamp.path("test_images").asInt() != testImages || Double.isNaN(acc)) {
                acc = Evaluator.evaluate(m.model(), splits.test()).accuracy();
                cache.recordAccuracy(acc, testImages);
            }
            p.note(String.format(
                    java.util.Locale.ROOT,
                    "%s: reused %s (same digest and training settings)",
                    a.id(),
                    cache.modelFile()));
            return describe(
                    a,
                    cache,
                    m,
                    stored.get(),
                    s,
                    acc,
                    testImages,
                    stamp.path("train_seconds").asDouble(0),
                    true);
        }
        p.note(a.id() + ": training " + s.epochsOf(a) + " epoch(s) into " + cache.modelFile());
        TrainedModel t;
        TaskThreads.apply(s.trainThreads()); // the same numerics whatever this JVM ran before
        try {
            t = ZooTrainer.train(a, d.dataset(), splits, s.epochsOf(a), s.trainSeed(), s.trainImages(), p::note);
        } finally {
            TaskThreads.reset();
        }
        ZooArtifacts.save(t, cache.modelFile(), null);
        String digest = cache.record(settings, t.trainingSeconds(), t.testAccuracy(), testImages);
        LoadedModel m = ModelLoader.load(cache.modelFile());
        return describe(a, cache, m, digest, s, t.testAccuracy(), testImages, t.trainingSeconds(), false);
    }

    private static TrainedZooModel describe(
            ZooArchitecture a,
            TrainedModelCache cache,
            LoadedModel m,
            String digest,
            BenchmarkSettings s,
            double acc,
            int testImages,
            double seconds,
            boolean reused) {
        NetworkDescription n = NetworkDescriber.describe(m.model(), m.inputType());
        return new TrainedZooModel(
                a.id(),
                cache.modelFile(),
                digest,
                s.epochsOf(a),
                s.trainImages(),
                acc,
                testImages,
                seconds,
                reused,
                n.networkMacs(),
                n.networkParams());
    }
}
