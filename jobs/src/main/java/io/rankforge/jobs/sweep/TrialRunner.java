package io.rankforge.jobs.sweep;

import io.rankforge.eval.Evaluator;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.exec.FineTuning;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.spark.TaskThreads;
import java.io.Serializable;
import java.net.InetAddress;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;

/**
 * The task of one trial, on an executor: decompose the model to the trial's ranks, re-estimate its
 * batch-norm statistics from the calibration images (when configured), measure test accuracy, and, when the trial is
 * fine-tuned, train it with the fixed settings and measure again.
 * Whatever the trial throws (NaN loss, out of memory, a bad layer) becomes a failed result with its
 * error: the sweep goes on. Only errors of the JVM itself (other than OOM) end the task.
 */
public final class TrialRunner implements Serializable {
    private final Map<String, Broadcast<ModelBlob>> models;
    private final Broadcast<DataBlob> test;
    private final Broadcast<DataBlob> train;
    private final Broadcast<DataBlob> calibration;

    /** {@code calibration}: images that re-estimate batch-norm statistics before measuring, or null (none). */
    public TrialRunner(
            Map<String, Broadcast<ModelBlob>> models,
            Broadcast<DataBlob> test,
            Broadcast<DataBlob> train,
            Broadcast<DataBlob> calibration) {
        this.models = Map.copyOf(models);
        this.test = test;
        this.train = train;
        this.calibration = calibration;
    }

    public TrialResult run(TrialSpec spec) {
        long t0 = System.nanoTime();
        String host = host();
        try {
            TaskThreads.forCurrentTask();
            ExecutorCache.CachedModel m =
                    ExecutorCache.model(models.get(spec.modelDigest()).value());
            var testImages = ExecutorCache.data(test.value());
            Model net = m.compress(spec.configuration(), calibration);
            double acc = Evaluator.evaluate(net, testImages).accuracy();
            double tuned = Double.NaN, loss = Double.NaN;
            if (spec.fineTune().enabled()) {
                if (train == null) {
                    throw new IllegalStateException(
                            "trial " + spec.trialId() + " is fine-tuned but no training images were broadcast");
                }
                loss = FineTuning.run(net, ExecutorCache.data(train.value()), spec.fineTune(), spec.taskSeed());
                tuned = Evaluator.evaluate(net, testImages).accuracy();
            }
            if (!Double.isFinite(acc)) {
                throw new ArithmeticException("accuracy is " + acc);
            }
            return new TrialResult(
                    spec,
                    true,
                    null,
                    acc,
                    tuned,
                    loss,
                    (System.nanoTime() - t0) / 1e9,
                    host,
                    System.currentTimeMillis());
        } catch (OutOfMemoryError | Exception e) {
            return TrialResult.failed(spec, e, (System.nanoTime() - t0) / 1e9, host);
        } catch (StackOverflowError e) {
            return TrialResult.failed(spec, e, (System.nanoTime() - t0) / 1e9, host);
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
