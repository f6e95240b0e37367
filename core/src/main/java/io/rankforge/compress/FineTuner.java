package io.rankforge.compress;

import io.rankforge.data.ImageBatches;
import io.rankforge.data.ImageDataset;
import io.rankforge.eval.Evaluator;
import io.rankforge.runtime.TrainingKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a compressed network with a {@link FineTuneSchedule}: DL4J's transfer-learning builder gives every layer
 * a fresh Adam updater (the network's own regularisation is kept) whose learning rate follows the schedule's cosine
 * decay ({@link CosineLearningRate}), then mini-batches are fitted one by one. A network whose output is not a loss
 * layer (an imported classifier that ends in logits) is trained through a copy with a softmax cross-entropy
 * {@link LossLayer} appended, and the trained weights are copied back, so the network keeps its outputs.
 */
final class FineTuner {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /** How often the loop frees native buffers held by dead arrays ({@link NativeGarbage}); cost: docs/compress.md. */
    static final long GC_INTERVAL_SECONDS = 30;

    /** The trained network (a new one) and what training did. */
    record Trained(Model network, FineTuneOutcome outcome) {}

    private FineTuner() {}

    static Trained run(Model net, ImageDataset train, FineTuneSchedule s, CompressionListener listener) {
        ImageDataset data =
                s.trainImages() > 0 && s.trainImages() < train.size() ? train.first(s.trainImages()) : train;
        long perEpoch = (data.size() + s.batchSize() - 1) / s.batchSize();
        long total = perEpoch * s.epochs();
        listener.phase("fine-tune", total);
        long start = System.nanoTime();
        Nd4j.getRandom().setSeed(s.seed());
        FineTuneConfiguration ftc = new FineTuneConfiguration.Builder()
                .updater(new Adam(new CosineLearningRate(s.learningRate(), total)))
                .seed(s.seed())
                .build();
        boolean lossAdded = !endsInLoss(net);
        Model t = trainable(net, ftc, lossAdded);
        TrainingKernels.installForTraining(t);
        restartCounts(t);
        boolean nhwc = Evaluator.takesChannelsLast(net);
        ImageBatches batches = data.shuffledBatches(s.batchSize(), s.seed());
        List<Double> losses = new ArrayList<>();
        NativeGarbage garbage = new NativeGarbage(GC_INTERVAL_SECONDS);
        long it = 0;
        for (int e = 1; e <= s.epochs(); e++) {
            long t0 = System.nanoTime();
            double sum = 0;
            int n = 0;
            while (batches.hasNext()) {
                DataSet ds = batches.next();
                if (nhwc) {
                    ds = new DataSet(ds.getFeatures().permute(0, 2, 3, 1).dup('c'), ds.getLabels());
                }
                fit(t, ds);
                garbage.collectIfDue();
                sum += t.score();
                n++;
                it++;
                listener.step();
            }
            batches.reset();
            double loss = sum / Math.max(1, n);
            if (!Double.isFinite(loss)) {
                throw new ArithmeticException("fine-tuning diverged in epoch " + e + ": mean loss " + loss
                        + "; lower learningRate (now " + s.learningRate() + ")");
            }
            losses.add(loss);
            String line = String.format(
                    Locale.ROOT,
                    "fine-tune epoch %d/%d: mean loss %.4f, learning rate now %.2e, %.1f s",
                    e,
                    s.epochs(),
                    loss,
                    s.learningRateAt(it, total),
                    (System.nanoTime() - t0) / 1e9);
            LOG.debug(line);
            listener.note(line);
        }
        // the saved configuration holds a fixed rate (the schedule's first), not the schedule: a model file must load
        // without RankForge's classes
        setLearningRate(t, s.learningRate());
        Model result = t;
        if (lossAdded) {
            copyWeights(t, net);
            result = net;
        }
        return new Trained(result, new FineTuneOutcome(data.size(), it, losses, (System.nanoTime() - start) / 1e9));
    }

    /** True when every output of the network is a loss (output) layer DL4J can fit. */
    static boolean endsInLoss(Model net) {
        if (net instanceof MultiLayerNetwork mln) {
            return mln.getOutputLayer() instanceof IOutputLayer;
        }
        ComputationGraph cg = (ComputationGraph) net;
        for (String out : cg.getConfiguration().getNetworkOutputs()) {
            GraphVertex v = cg.getVertex(out);
            if (v == null || !v.hasLayer() || !(v.getLayer() instanceof IOutputLayer)) {
                return false;
            }
        }
        return true;
    }

    private static Model trainable(Model net, FineTuneConfiguration ftc, boolean addLoss) {
        if (net instanceof MultiLayerNetwork mln) {
            TransferLearning.Builder b = new TransferLearning.Builder(mln).fineTuneConfiguration(ftc);
            if (addLoss) {
                b.addLayer(loss());
            }
            return b.build();
        }
        ComputationGraph cg = (ComputationGraph) net;
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(cg).fineTuneConfiguration(ftc);
        if (addLoss) {
            List<String> outs = cg.getConfiguration().getNetworkOutputs();
            List<String> losses = new ArrayList<>();
            for (String out : outs) {
                String name = out + "_finetune_loss";
                b.addLayer(name, loss(), out);
                losses.add(name);
            }
            b.setOutputs(losses.toArray(String[]::new));
        }
        return b.build();
    }

    private static LossLayer loss() {
        return new LossLayer.Builder(LossFunction.MCXENT)
                .activation(Activation.SOFTMAX)
                .build();
    }

    /** Copies every layer's parameters (batch-norm statistics included) of {@code from} into {@code to}, by layer. */
    private static void copyWeights(Model from, Model to) {
        if (to instanceof MultiLayerNetwork dst) {
            MultiLayerNetwork src = (MultiLayerNetwork) from;
            for (int i = 0; i < dst.getnLayers(); i++) {
                copy(src.getLayer(i), dst.getLayer(i));
            }
        } else {
            ComputationGraph dst = (ComputationGraph) to;
            ComputationGraph src = (ComputationGraph) from;
            for (Layer l : dst.getLayers()) {
                copy(src.getLayer(l.conf().getLayer().getLayerName()), l);
            }
        }
    }

    private static void copy(Layer src, Layer dst) {
        if (dst.numParams() > 0) {
            dst.params().assign(src.params());
        }
    }

    /**
     * Fine-tuning starts at iteration 0: the schedule starts at its full rate, and Adam's bias correction, which
     * depends on the iteration, fits the fresh moments. DL4J 1.0.0-M2.1's transfer-learning builders already give the
     * new configuration zero counts (FineTunerTest); this makes the schedule independent of that.
     */
    private static void restartCounts(Model m) {
        if (m instanceof MultiLayerNetwork mln) {
            mln.getLayerWiseConfigurations().setIterationCount(0);
            mln.getLayerWiseConfigurations().setEpochCount(0);
        } else {
            ((ComputationGraph) m).getConfiguration().setIterationCount(0);
            ((ComputationGraph) m).getConfiguration().setEpochCount(0);
        }
    }

    private static void setLearningRate(Model m, double lr) {
        if (m instanceof MultiLayerNetwork mln) {
            mln.setLearningRate(lr);
        } else {
            ((ComputationGraph) m).setLearningRate(lr);
        }
    }

    private static void fit(Model m, DataSet ds) {
        try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) {
            if (m instanceof MultiLayerNetwork mln) {
                mln.fit(ds);
            } else {
                ((ComputationGraph) m).fit(ds);
            }
        }
    }
}
