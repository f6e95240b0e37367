package io.rankforge.eval;

import io.rankforge.UserInputException;
import io.rankforge.data.ImageDataset;
import io.rankforge.runtime.TrainingKernels;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Re-estimates the running mean and variance of every batch-norm layer of a network from calibration
 * images, in place. Why: a truncated layer changes the distribution of everything downstream, and the
 * batch-norm statistics stored at training time then normalise with the wrong mean and variance; a
 * decomposed network evaluated with stale statistics loses far more accuracy than its truncation
 * error explains (measured on vgg-mini: every layer at r_max drops held-out accuracy from 0.87 to
 * 0.58). Re-estimating the statistics costs one forward pass and no training, so the accuracy of
 * a configuration measures its ranks rather than the staleness of its statistics.
 *
 * <p>How: the calibration images go through the network once, as one batch, in training mode (so each
 * batch-norm layer normalises with the batch's own statistics, exactly what the re-estimated network
 * will do in inference); each batch-norm layer's input is then reduced per channel to its mean and
 * biased variance (what DL4J's training mode uses), which become the layer's global statistics.
 * Afterwards inference on the calibration images gives the training-mode output. Dropout is switched
 * off for the pass and restored afterwards. Networks without batch norm are left as they are.
 */
public final class BatchNormRecalibration {
    /** The most calibration images accepted: they form one batch, held in memory with every activation. */
    public static final int MAX_IMAGES = 10_000;
    /** Calibration images the CLI and reference.conf use unless told otherwise. */
    public static final int DEFAULT_IMAGES = 500;

    private BatchNormRecalibration() {}

    /**
     * Checks a configured number of calibration images: 0 (keep the trained statistics) or in
     * [2, {@link #MAX_IMAGES}]; otherwise a one-line error naming {@code name} (the option or key).
     */
    public static int checkCount(int n, String name) {
        if (n != 0 && (n < 2 || n > MAX_IMAGES)) {
            throw new UserInputException(name + " must be 0 (keep the trained batch-norm statistics) or in [2, "
                    + MAX_IMAGES + "], got " + n);
        }
        return n;
    }

    /**
     * Re-estimates every batch-norm layer's statistics of {@code model} from {@code images}.
     *
     * @return the names of the batch-norm layers whose statistics were set, in network order
     */
    public static List<String> recalibrate(Model model, ImageDataset images) {
        if (images == null || images.size() < 2) {
            throw new IllegalArgumentException("batch-norm recalibration needs at least 2 calibration images, got "
                    + (images == null ? "none" : images.size()));
        }
        if (images.size() > MAX_IMAGES) {
            throw new IllegalArgumentException("batch-norm recalibration takes at most " + MAX_IMAGES
                    + " calibration images (one batch), got " + images.size());
        }
        Layer[] layers = layers(model);
        boolean any = false;
        for (Layer l : layers) {
            any |= l instanceof BatchNormalization;
        }
        if (!any) {
            return List.of();
        }

        TrainingKernels.install(model); // its training pass also yields each layer's statistics (setStatisticsOfPass)
        INDArray features = images.features();
        boolean nhwc = Evaluator.takesChannelsLast(model);
        INDArray input = nhwc ? features.permute(0, 2, 3, 1).dup('c') : features;
        Map<Layer, IDropout> dropout = switchOffDropout(layers);
        List<INDArray> held = new ArrayList<>(); // every array of the pass, freed at its end
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return model instanceof MultiLayerNetwork mln
                    ? recalibrate(mln, input, held)
                    : recalibrate((ComputationGraph) model, input, held);
        } finally {
            restoreDropout(dropout);
            // the layers keep references to their last inputs: drop them before those arrays are freed
            if (model instanceof MultiLayerNetwork mln) {
                mln.clearLayersStates();
            } else {
                ((ComputationGraph) model).clearLayersStates();
            }
            // a pass over hundreds of images holds hundreds of MB off-heap: free it now, not at some later
            // garbage collection (a sweep recalibrates once per trial); never the caller's images
            if (nhwc) {
                held.add(input);
            }
            release(held, features);
        }
    }

    private static List<String> recalibrate(MultiLayerNetwork mln, INDArray input, List<INDArray> held) {
        List<INDArray> activations = mln.feedForward(input, true); // [input, output of layer 0, 1, ...]
        held.addAll(activations);
        List<String> done = new ArrayList<>();
        Layer[] layers = mln.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (!(layers[i] instanceof BatchNormalization bn)) {
                continue;
            }
            INDArray in = activations.get(i);
            InputPreProcessor pre = mln.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                held.add(in = pre.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces()));
            }
            setStatisticsOfPass(bn, in);
            done.add(bn.conf().getLayer().getLayerName());
        }
        return done;
    }

    private static List<String> recalibrate(ComputationGraph graph, INDArray input, List<INDArray> held) {
        if (graph.getConfiguration().getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException(
                    "batch-norm recalibration feeds images to single-input graphs only, this one has inputs "
                            + graph.getConfiguration().getNetworkInputs());
        }
        Map<String, INDArray> activations = graph.feedForward(input, true);
        held.addAll(activations.values());
        List<String> done = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[index];
            if (!(v instanceof LayerVertex lv) || !(lv.getLayer() instanceof BatchNormalization bn)) {
                continue;
            }
            List<String> inputs = graph.getConfiguration().getVertexInputs().get(v.getVertexName());
            INDArray in = activations.get(inputs.get(0));
            if (in == null) {
                throw new IllegalStateException(
                        "no activation of " + inputs.get(0) + ", the input of " + v.getVertexName());
            }
            InputPreProcessor pre = lv.getLayerPreProcessor();
            if (pre != null) {
                held.add(in = pre.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces()));
            }
            setStatisticsOfPass(bn, in);
            done.add(v.getVertexName());
        }
        return done;
    }

    /**
     * Sets {@code bn}'s global statistics to those of {@code in}, its input in the training pass just made: the fused
     * kernel ({@link TrainingKernels}) already reduced that input (in double), so its result is taken as it is.
     */
    private static void setStatisticsOfPass(BatchNormalization bn, INDArray in) {
        var computed = TrainingKernels.lastBatchStatistics(bn);
        if (computed.isEmpty()) {
            setStatistics(bn, in);
            return;
        }
        store(
                bn,
                (org.deeplearning4j.nn.conf.layers.BatchNormalization) bn.conf().getLayer(),
                computed.get().mean(),
                computed.get().variance());
    }

    /** Sets {@code bn}'s global mean and variance (or log10 standard deviation) to those of its input. */
    static void setStatistics(BatchNormalization bn, INDArray in) {
        var conf =
                (org.deeplearning4j.nn.conf.layers.BatchNormalization) bn.conf().getLayer();
        int[] reduce = switch (in.rank()) {
            case 2 -> new int[] {0};
            case 4 -> conf.getCnn2DFormat() == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
            default ->
                throw new IllegalArgumentException("batch-norm layer " + conf.getLayerName() + " has a rank-"
                        + in.rank() + " input; recalibration handles dense (rank 2) and convolutional (rank 4) inputs");
        };
        try (INDArray mean = in.mean(reduce);
                INDArray var = in.var(false, reduce)) {
            store(bn, conf, mean, var);
        }
    }

    private static void store(
            BatchNormalization bn,
            org.deeplearning4j.nn.conf.layers.BatchNormalization conf,
            INDArray mean,
            INDArray var) {
        INDArray globalMean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        globalMean.assign(mean.reshape(globalMean.shape()));
        if (conf.isUseLogStd()) {
            INDArray log10Std = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            // DL4J stores log10(sqrt(var)) and adds eps when it normalises
            try (INDArray log10 = Transforms.log(Transforms.sqrt(var, true), 10.0, false)) {
                log10Std.assign(log10.reshape(log10Std.shape()));
            }
        } else {
            INDArray globalVar = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            globalVar.assign(var.reshape(globalVar.shape()));
        }
    }

    /** Closes each distinct closeable array once, except {@code keep} (the caller's images). */
    private static void release(List<INDArray> arrays, INDArray keep) {
        java.util.Set<INDArray> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (INDArray a : arrays) {
            if (a == null || a == keep || !seen.add(a) || !a.closeable()) {
                continue;
            }
            if (keep.data() == a.data()) {
                continue; // a view of the images
            }
            a.close();
        }
    }

    private static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getLayers();
        }
        if (model instanceof ComputationGraph cg) {
            return cg.getLayers();
        }
        throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph can be recalibrated, got "
                + model.getClass().getSimpleName());
    }

    private static Map<Layer, IDropout> switchOffDropout(Layer[] layers) {
        Map<Layer, IDropout> saved = new IdentityHashMap<>();
        for (Layer l : layers) {
            var c = l.conf() == null ? null : l.conf().getLayer();
            if (c != null && c.getIDropout() != null) {
                saved.put(l, c.getIDropout());
                c.setIDropout(null);
            }
        }
        return saved;
    }

    private static void restoreDropout(Map<Layer, IDropout> saved) {
        saved.forEach((l, d) -> l.conf().getLayer().setIDropout(d));
    }
}
