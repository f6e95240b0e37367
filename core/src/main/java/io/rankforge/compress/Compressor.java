package io.rankforge.compress;

import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.CompressionCost;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.eval.Evaluation;
import io.rankforge.eval.Evaluator;
import io.rankforge.model.NetworkDescriber;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The compression pipeline: decompose the model to the request's ranks (default schemes, {@link Decomposer}), measure
 * the original's test accuracy, re-estimate the compressed network's batch-norm statistics
 * ({@link BatchNormRecalibration}) and measure it, fine-tune it ({@link FineTuneSchedule}) and measure it again, then
 * time inference of both at batch 1 and 64. The original network is never modified.
 */
public final class Compressor {
    /** The phases, in order, as the listener hears them. */
    public static final List<String> PHASES = List.of(
            "decompose", "evaluate original", "batch norm + evaluate", "fine-tune", "evaluate fine-tuned", "latency");

    /** Batch sizes whose latency is measured. */
    public static final List<Integer> LATENCY_BATCHES = List.of(1, 64);

    /** Images per evaluation step: a multiple of {@link Evaluator#DEFAULT_BATCH}, so the batches are Evaluator's. */
    static final int EVAL_CHUNK = 4 * Evaluator.DEFAULT_BATCH;

    private static final int WARM_UP = 3;

    private Compressor() {}

    public static CompressionResult compress(CompressionRequest r, CompressionListener l) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Model source = r.source().model();

        long t = System.nanoTime();
        l.phase(PHASES.get(0), 0);
        DecompositionPlan plan = DecompositionPlan.withDefaultSchemes(
                NetworkDescriber.describe(source, r.source().inputType()));
        CompressionCost cost = plan.cost(r.ranks());
        Model net = Decomposer.of(source, plan).decompose(r.ranks());
        l.phaseDone(String.format(
                Locale.ROOT,
                "%d layers; FLOPs %.4f, params %.4f of the compressible layers",
                r.ranks().ranks().size(),
                cost.compressibleFlopsRatio(),
                cost.compressibleParamsRatio()));
        seconds.put(PHASES.get(0), since(t));

        t = System.nanoTime();
        Evaluation original = evaluate(source, r.test(), PHASES.get(1), l);
        seconds.put(PHASES.get(1), since(t));

        t = System.nanoTime();
        l.phase(PHASES.get(2), r.test() == null ? 0 : chunks(r.test()));
        List<String> recalibrated = List.of();
        int calibration = 0;
        if (r.calibration() != null && r.calibration().size() > 0) {
            recalibrated = BatchNormRecalibration.recalibrate(net, r.calibration());
            calibration = recalibrated.isEmpty() ? 0 : r.calibration().size();
        }
        Evaluation compressed = evaluate(net, r.test(), null, l);
        seconds.put(PHASES.get(2), since(t));

        t = System.nanoTime();
        FineTuneOutcome outcome = FineTuneOutcome.none();
        Evaluation fineTuned = compressed;
        if (r.fineTune().epochs() > 0) {
            FineTuner.Trained trained = FineTuner.run(net, r.train(), r.fineTune(), l);
            net = trained.network();
            outcome = trained.outcome();
            l.phaseDone(String.format(Locale.ROOT, "%d iterations", outcome.iterations()));
            seconds.put(PHASES.get(3), since(t));
            t = System.nanoTime();
            fineTuned = evaluate(net, r.test(), PHASES.get(4), l);
            seconds.put(PHASES.get(4), since(t));
        } else {
            l.phase(PHASES.get(3), 0);
            l.phaseDone("skipped (0 epochs)");
            seconds.put(PHASES.get(3), 0.0);
            l.phase(PHASES.get(4), 0);
            l.phaseDone("skipped");
            seconds.put(PHASES.get(4), 0.0);
        }

        t = System.nanoTime();
        List<Latency> before = new ArrayList<>(), after = new ArrayList<>();
        if (r.latencyRepeats() > 0) {
            l.phase(PHASES.get(5), 2L * LATENCY_BATCHES.size());
            for (int b : LATENCY_BATCHES) {
                INDArray x = latencyInput(r, b);
                before.add(latency(source, x, r.latencyRepeats()));
                l.step();
                after.add(latency(net, x, r.latencyRepeats()));
                l.step();
            }
            l.phaseDone(latencyLine(before, after));
        } else {
            l.phase(PHASES.get(5), 0);
            l.phaseDone("skipped");
        }
        seconds.put(PHASES.get(5), since(t));
        return new CompressionResult(
                net,
                plan,
                r.ranks(),
                cost,
                original,
                compressed,
                fineTuned,
                recalibrated,
                calibration,
                outcome,
                before,
                after,
                seconds);
    }

    private static String latencyLine(List<Latency> before, List<Latency> after) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < before.size(); i++) {
            s.append(i == 0 ? "" : "; ")
                    .append(String.format(
                            Locale.ROOT,
                            "batch %d: %.2f ms → %.2f ms",
                            before.get(i).batch(),
                            before.get(i).medianMillis(),
                            after.get(i).medianMillis()));
        }
        return s.toString();
    }

    private static long chunks(ImageDataset d) {
        return (d.size() + EVAL_CHUNK - 1) / EVAL_CHUNK;
    }

    /**
     * Top-1 accuracy on {@code data} in steps of {@link #EVAL_CHUNK} images (each one listener step), with
     * Evaluator's batches: the same number {@code Evaluator.evaluate(model, data)} gives. A non-null {@code phase}
     * opens and closes its own phase.
     */
    static Evaluation evaluate(Model model, ImageDataset data, String phase, CompressionListener l) {
        if (data == null) {
            if (phase != null) {
                l.phase(phase, 0);
            }
            l.phaseDone("no test images");
            return null;
        }
        if (phase != null) {
            l.phase(phase, chunks(data));
        }
        int correct = 0;
        double secs = 0;
        for (int from = 0; from < data.size(); from += EVAL_CHUNK) {
            int to = Math.min(data.size(), from + EVAL_CHUNK);
            int first = from;
            int[] idx = new int[to - from];
            Arrays.setAll(idx, i -> first + i);
            Evaluation e = Evaluator.evaluate(model, data.select(idx));
            correct += e.correct();
            secs += e.seconds();
            l.step();
        }
        Evaluation e = new Evaluation(correct, data.size(), secs);
        l.phaseDone(String.format(Locale.ROOT, "accuracy %.4f (%d / %d)", e.accuracy(), e.correct(), e.total()));
        return e;
    }

    /**
     * {@code b} images for timing: test images (training images when the test set is smaller), or, without images,
     * uniform random pixels in [0, 1] of the model's input shape.
     */
    private static INDArray latencyInput(CompressionRequest r, int b) {
        Model model = r.source().model();
        ImageDataset images =
                r.test() == null ? null : r.test().size() >= b || r.train() == null ? r.test() : r.train();
        INDArray x;
        if (images != null && images.size() >= b) {
            x = images.features().get(NDArrayIndex.interval(0, b));
        } else if (r.source().inputType() instanceof InputType.InputTypeConvolutional c) {
            x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, b, c.getChannels(), c.getHeight(), c.getWidth());
        } else {
            throw new IllegalArgumentException("latency needs " + b + " images or a convolutional input type, got "
                    + r.source().inputType());
        }
        if (Evaluator.takesChannelsLast(model)) {
            x = x.permute(0, 2, 3, 1);
        }
        return x.dup('c');
    }

    /** Median wall time of {@code repeats} inference passes of {@code x}, after {@value #WARM_UP} untimed ones. */
    static Latency latency(Model model, INDArray x, int repeats) {
        for (int i = 0; i < WARM_UP; i++) {
            Evaluator.output(model, x);
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            INDArray out = Evaluator.output(model, x);
            out.getDouble(0); // the pass is finished when its output can be read
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
        return new Latency((int) x.size(0), median, repeats);
    }

    private static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
