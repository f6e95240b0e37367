package io.rankforge.jobs.sweep;

import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.eval.Evaluator;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.exec.FineTuning;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.spark.TaskThreads;
import io.rankforge.jobs.store.FaultPoints;
import io.rankforge.runtime.NativeBackend;
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
        TrialCost.Clock clock = new TrialCost.Clock(NativeBackend.selected().label());
        try {
            TaskThreads.forCurrentTask();
            ExecutorCache.CachedModel m =
                    ExecutorCache.model(models.get(spec.modelDigest()).value());
            var testImages = ExecutorCache.data(test.value());
            var calibrationImages = calibration == null ? null : ExecutorCache.data(calibration.value());
            clock.start();
            Model net = m.decomposer().decompose(spec.configuration());
            clock.end(TrialCost.DECOMPOSE);
            FaultPoints.reach("trial"); // a trial half-way (the fault test)
            if (calibrationImages != null) {
                BatchNormRecalibration.recalibrate(net, calibrationImages);
                clock.end(TrialCost.RECALIBRATE);
            }
            double acc = Evaluator.evaluate(net, testImages).accuracy();
            clock.end(TrialCost.EVALUATE);
            double tuned = Double.NaN, loss = Double.NaN;
            if (spec.fineTune().enabled()) {
                if (train == null) {
                    throw new IllegalStateException(
                            "trial " + spec.trialId() + " is fine-tuned but no training images were broadcast");
                }
                var trainImages = ExecutorCache.data(train.value());
                clock.start();
                loss = FineTuning.run(net, trainImages, spec.fineTune(), spec.taskSeed());
                clock.end(TrialCost.FINE_TUNE);
                tuned = Evaluator.evaluate(net, testImages).accuracy();
                clock.end(TrialCost.EVALUATE_TUNED);
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
                    System.currentTimeMillis(),
                    clock.cost());
        } catch (OutOfMemoryError | Exception e) {
            return TrialResult.failed(spec, e, (System.nanoTime() - t0) / 1e9, host, clock.cost());
        } catch (StackOverflowError e) {
            return TrialResult.failed(spec, e, (System.nanoTime() - t0) / 1e9, host, clock.cost());
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
