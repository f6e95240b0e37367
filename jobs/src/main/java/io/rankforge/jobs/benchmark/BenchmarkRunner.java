package io.rankforge.jobs.benchmark;

import io.rankforge.compress.CompressionListener;
import io.rankforge.compress.CompressionRequest;
import io.rankforge.compress.CompressionResult;
import io.rankforge.compress.Compressor;
import io.rankforge.compress.FineTuneSchedule;
import io.rankforge.compress.Latency;
import io.rankforge.compress.RankOrigin;
import io.rankforge.eval.Evaluation;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.spark.TaskThreads;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task of one compression, on an executor: the standard pipeline ({@link Compressor}: decompose, re-estimate
 * batch norm, measure, fine-tune, measure, latency) on the model and images the driver broadcast. Whatever the
 * compression throws becomes a failed outcome with its error, so that the other compressions go on.
 */
final class BenchmarkRunner implements Serializable {
    private final Map<String, Broadcast<ModelBlob>> models;
    private final Broadcast<DataBlob> test;
    private final Broadcast<DataBlob> train;
    private final Broadcast<DataBlob> calibration;
    private final String dataset;
    private final int epochs;
    private final double learningRate;
    private final int batchSize;
    private final int latencyRepeats;

    BenchmarkRunner(
            Map<String, Broadcast<ModelBlob>> models,
            Broadcast<DataBlob> test,
            Broadcast<DataBlob> train,
            Broadcast<DataBlob> calibration,
            String dataset,
            BenchmarkSettings s) {
        this.models = Map.copyOf(models);
        this.test = test;
        this.train = train;
        this.calibration = calibration;
        this.dataset = dataset;
        this.epochs = s.fineTuneEpochs();
        this.learningRate = s.learningRate();
        this.batchSize = s.batchSize();
        this.latencyRepeats = s.latencyRepeats();
    }

    BenchmarkOutcome run(BenchmarkTask t) {
        long t0 = System.nanoTime();
        try {
            TaskThreads.forCurrentTask();
            ExecutorCache.CachedModel m =
                    ExecutorCache.model(models.get(t.digest()).value());
            var testImages = ExecutorCache.data(test.value());
            var trainImages = train == null ? null : ExecutorCache.data(train.value());
            var calibrationImages = calibration == null ? null : ExecutorCache.data(calibration.value());
            CompressionRequest request = new CompressionRequest(
                    m.loaded(),
                    dataset,
                    t.configuration(),
                    new RankOrigin(t.method(), null, t.budget(), null, null, null, Double.NaN),
                    trainImages,
                    calibrationImages,
                    testImages,
                    epochs == 0
                            ? FineTuneSchedule.none()
                            : new FineTuneSchedule(epochs, learningRate, batchSize, 0, t.seed()),
                    latencyRepeats);
            CompressionResult r = Compressor.compress(request, CompressionListener.SILENT);
            return new BenchmarkOutcome(
                    t,
                    true,
                    null,
                    r.cost().compressibleFlopsRatio(),
                    r.cost().compressibleParamsRatio(),
                    r.cost().networkFlopsRatio(),
                    r.cost().networkParamsRatio(),
                    accuracy(r.original()),
                    accuracy(r.compressed()),
                    accuracy(r.fineTuned()),
                    batchOne(r.originalLatency()),
                    batchOne(r.compressedLatency()),
                    (System.nanoTime() - t0) / 1e9,
                    System.currentTimeMillis());
        } catch (OutOfMemoryError | Exception e) {
            return BenchmarkOutcome.failed(t, e, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static double accuracy(Evaluation e) {
        return e == null ? Double.NaN : e.accuracy();
    }

    private static double batchOne(List<Latency> ls) {
        return ls.stream()
                .filter(l -> l.batch() == 1)
                .mapToDouble(Latency::medianMillis)
                .findFirst()
                .orElse(Double.NaN);
    }
}
