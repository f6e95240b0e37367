package io.rankforge.jobs.select;

import io.rankforge.AccuracyOracle;
import io.rankforge.RankConfiguration;
import io.rankforge.eval.Evaluator;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.run.TaskCounter;
import io.rankforge.jobs.spark.TaskThreads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Held-out accuracy of compressed configurations, measured by Spark tasks: a batch of configurations
 * (ENC-Inf's candidates) becomes one job with one task per configuration. The model and the images
 * are broadcasts, loaded once per executor. Remembers what it measured, in order (the candidates table).
 */
public final class SparkAccuracyOracle implements AccuracyOracle {
    private final JavaSparkContext jsc;
    private final Broadcast<ModelBlob> model;
    private final Broadcast<DataBlob> data;
    private final Broadcast<DataBlob> calibration;
    private final List<Map.Entry<RankConfiguration, Double>> measured = new ArrayList<>();

    /** {@code calibration}: images that re-estimate batch-norm statistics before measuring, or null (none). */
    public SparkAccuracyOracle(
            JavaSparkContext jsc,
            Broadcast<ModelBlob> model,
            Broadcast<DataBlob> data,
            Broadcast<DataBlob> calibration) {
        this.jsc = jsc;
        this.model = model;
        this.data = data;
        this.calibration = calibration;
    }

    @Override
    public double accuracy(RankConfiguration configuration) {
        return accuracies(List.of(configuration)).get(0);
    }

    @Override
    public synchronized List<Double> accuracies(List<RankConfiguration> configurations) {
        if (configurations.isEmpty()) {
            return List.of();
        }
        List<Map<String, Integer>> ranks = new ArrayList<>();
        for (RankConfiguration c : configurations) {
            ranks.add(new LinkedHashMap<>(c.ranks()));
        }
        Broadcast<ModelBlob> m = model;
        Broadcast<DataBlob> d = data;
        Broadcast<DataBlob> c = calibration;
        List<Double> acc = TaskCounter.compute(
                jsc,
                "enc-inf: candidate accuracies",
                () -> jsc.parallelize(ranks, ranks.size())
                        .map(r -> evaluate(r, m, d, c))
                        .collect());
        for (int i = 0; i < acc.size(); i++) {
            measured.add(Map.entry(configurations.get(i), acc.get(i)));
        }
        return List.copyOf(acc);
    }

    /** Every configuration measured so far with its accuracy, in order. */
    public synchronized List<Map.Entry<RankConfiguration, Double>> measured() {
        return List.copyOf(measured);
    }

    public synchronized void clear() {
        measured.clear();
    }

    static double evaluate(
            Map<String, Integer> ranks,
            Broadcast<ModelBlob> model,
            Broadcast<DataBlob> data,
            Broadcast<DataBlob> calibration) {
        TaskThreads.forCurrentTask();
        ExecutorCache.CachedModel m = ExecutorCache.model(model.value());
        var net = m.compress(RankConfiguration.of(ranks), calibration);
        return Evaluator.evaluate(net, ExecutorCache.data(data.value())).accuracy();
    }
}
