package io.rankforge.eval;

import io.rankforge.UserInputException;
import io.rankforge.data.ImageDataset;
import io.rankforge.runtime.ChannelMoments;
import io.rankforge.runtime.TrainingKernels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
 * <p>How: one inference pass, layer after layer, over the calibration images in chunks of evaluation's batch size.
 * When the pass reaches a batch-norm layer, every image's input to it is reduced per channel, in double, to its mean
 * and biased variance (what DL4J's training mode normalises with), which become the layer's global statistics; the
 * layer then normalises with them and the pass goes on. Each layer's statistics are therefore those of exactly the
 * inputs it sees in inference once the layers before it are re-estimated, and inference on the calibration images
 * equals training mode on them as one batch (up to float rounding). Layers after the last batch norm are not run;
 * dropout is off in inference. Networks without batch norm are left as they are.
 *
 * <p>Why not one training-mode pass over all the images as one batch (how it was done before): every layer's output
 * was then tens of MB of fresh memory, copied again to be kept, and on a decomposed vgg-mini the pass took 292–401 ms
 * against 145–167 ms for this one (500 images, fresh JVMs, one thread; {@code TrialPhases}, benchmarks/README.md).
 */
public final class BatchNormRecalibration {
    /** The most calibration images accepted: one layer's activations of all of them are held in memory at once. */
    public static final int MAX_IMAGES = 10_000;
    /** Calibration images the CLI and reference.conf use unless told otherwise. */
    public static final int DEFAULT_IMAGES = 500;
    /** Images per forward call of the pass: evaluation's batch. */
    static final int CHUNK = Evaluator.DEFAULT_BATCH;

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

        TrainingKernels.install(model); // the inference kernels evaluation uses (batch norm's among them)
        INDArray features = images.features();
        boolean nhwc = Evaluator.takesChannelsLast(model);
        // the images a chunk at a time, as evaluation batches them: a single batch of hundreds of images made every
        // layer's output tens of MB of fresh memory (see the class comment)
        List<INDArray> chunks = new ArrayList<>();
        for (int from = 0; from < images.size(); from += CHUNK) {
            INDArray x = features.get(NDArrayIndex.interval(from, Math.min(images.size(), from + CHUNK)));
            chunks.add(nhwc ? x.permute(0, 2, 3, 1).dup('c') : x);
        }
        Pass pass = new Pass(features);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return model instanceof MultiLayerNetwork mln
                    ? recalibrate(mln, chunks, pass)
                    : recalibrate((ComputationGraph) model, chunks, pass);
        } finally {
            // the layers keep references to their last inputs: drop them before those arrays are freed
            if (model instanceof MultiLayerNetwork mln) {
                mln.clearLayersStates();
            } else {
                ((ComputationGraph) model).clearLayersStates();
            }
            pass.releaseAll(chunks);
        }
    }

    private static List<String> recalibrate(MultiLayerNetwork mln, List<INDArray> images, Pass pass) {
        Layer[] layers = mln.getLayers();
        int last = -1;
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] instanceof BatchNormalization) {
                last = i;
            }
        }
        List<String> done = new ArrayList<>();
        List<INDArray> x = images;
        for (int i = 0; i <= last; i++) {
            InputPreProcessor pre = mln.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                x = pass.advance(x, in -> preProcessed(pre, in));
            }
            if (layers[i] instanceof BatchNormalization bn) {
                setStatistics(bn, x);
                done.add(bn.conf().getLayer().getLayerName());
            }
            if (i < last) {
                Layer layer = layers[i];
                x = pass.advance(x, in -> layer.activate(in, false, LayerWorkspaceMgr.noWorkspaces()));
            }
        }
        pass.release(x, List.of());
        return done;
    }

    private static List<String> recalibrate(ComputationGraph graph, List<INDArray> images, Pass pass) {
        if (graph.getConfiguration().getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException(
                    "batch-norm recalibration feeds images to single-input graphs only, this one has inputs "
                            + graph.getConfiguration().getNetworkInputs());
        }
        Map<String, List<String>> inputsOf = graph.getConfiguration().getVertexInputs();
        int[] order = graph.topologicalSortOrder();
        GraphVertex[] vertices = graph.getVertices();
        int last = -1;
        Map<String, Integer> consumers = new HashMap<>();
        for (int k = 0; k < order.length; k++) {
            GraphVertex v = vertices[order[k]];
            if (v instanceof LayerVertex lv && lv.getLayer() instanceof BatchNormalization) {
                last = k;
            }
        }
        for (int k = 0; k <= last; k++) {
            for (String in : inputsOf.getOrDefault(vertices[order[k]].getVertexName(), List.of())) {
                consumers.merge(in, 1, Integer::sum);
            }
        }
        Map<String, List<INDArray>> outputs = new HashMap<>();
        List<String> done = new ArrayList<>();
        for (int k = 0; k <= last; k++) {
            GraphVertex v = vertices[order[k]];
            String name = v.getVertexName();
            if (v.isInputVertex()) {
                outputs.put(name, images);
                continue;
            }
            List<String> inputs = inputsOf.get(name);
            if (v instanceof LayerVertex lv && lv.getLayer() instanceof BatchNormalization bn) {
                List<INDArray> in = outputs.get(inputs.get(0));
                InputPreProcessor pre = lv.getLayerPreProcessor();
                List<INDArray> seen = pre == null ? in : pass.map(in, a -> preProcessed(pre, a));
                setStatistics(bn, seen);
                if (seen != in) {
                    pass.release(seen, outputs.values());
                }
                done.add(name);
            }
            if (k < last) {
                outputs.put(name, pass.forward(v, inputs, outputs));
            }
            for (String in : inputs) {
                if (consumers.merge(in, -1, Integer::sum) == 0) {
                    pass.release(outputs.remove(in), outputs.values());
                }
            }
        }
        outputs.values().forEach(o -> pass.release(o, outputs.values()));
        return done;
    }

    /** {@code x} through {@code pre} (none: {@code x}) at {@code x}'s own batch size. */
    private static INDArray preProcessed(InputPreProcessor pre, INDArray x) {
        return pre == null ? x : pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
    }

    /**
     * Sets {@code bn}'s global mean and variance (or log10 standard deviation) to those of its input {@code chunks},
     * reduced in double over every calibration image.
     */
    static void setStatistics(BatchNormalization bn, List<INDArray> chunks) {
        var conf =
                (org.deeplearning4j.nn.conf.layers.BatchNormalization) bn.conf().getLayer();
        int rank = chunks.get(0).rank();
        if (rank != 2 && rank != 4) {
            throw new IllegalArgumentException("batch-norm layer " + conf.getLayerName() + " has a rank-" + rank
                    + " input; recalibration handles dense (rank 2) and convolutional (rank 4) inputs");
        }
        ChannelMoments m = ChannelMoments.of(chunks, conf.getCnn2DFormat());
        DataType type =
                bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).dataType();
        try (INDArray mean = Nd4j.createFromArray(m.mean()).castTo(type);
                INDArray var = Nd4j.createFromArray(m.variance()).castTo(type)) {
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

    /**
     * The arrays of one recalibration pass and their release: each layer's output chunks are freed as soon as the next
     * layer has consumed them (not at some later garbage collection), except the caller's images and any array that
     * shares its memory with one still in use (a preprocessor's reshape, a vertex that passes its input through).
     */
    private static final class Pass {
        private final INDArray images;
        private final Set<Object> released = Collections.newSetFromMap(new IdentityHashMap<>());

        Pass(INDArray images) {
            this.images = images;
        }

        List<INDArray> map(List<INDArray> chunks, UnaryOperator<INDArray> f) {
            List<INDArray> out = new ArrayList<>(chunks.size());
            for (INDArray c : chunks) {
                out.add(f.apply(c));
            }
            return out;
        }

        /** {@code f} applied to every chunk; the chunks are released unless the result shares their memory. */
        List<INDArray> advance(List<INDArray> chunks, UnaryOperator<INDArray> f) {
            List<INDArray> out = map(chunks, f);
            release(chunks, List.of(out));
            return out;
        }

        /** A graph vertex's inference output, chunk by chunk, from its inputs' outputs. */
        List<INDArray> forward(GraphVertex v, List<String> inputs, Map<String, List<INDArray>> outputs) {
            int n = outputs.get(inputs.get(0)).size();
            List<INDArray> out = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                INDArray[] in = new INDArray[inputs.size()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = outputs.get(inputs.get(i)).get(c);
                }
                if (v instanceof LayerVertex lv) {
                    // the vertex's preprocessor on this chunk's own batch size (the graph's is not set by this pass)
                    INDArray x = preProcessed(lv.getLayerPreProcessor(), in[0]);
                    INDArray y = lv.getLayer().activate(x, false, LayerWorkspaceMgr.noWorkspaces());
                    out.add(y);
                    if (x != in[0]) {
                        release(List.of(x), List.of(List.of(in[0], y)));
                    }
                } else {
                    v.setInputs(in);
                    out.add(v.doForward(false, LayerWorkspaceMgr.noWorkspaces()));
                }
            }
            v.clear();
            return out;
        }

        /** Frees {@code arrays} except the images and whatever shares memory with an array of {@code live}. */
        void release(List<INDArray> arrays, Collection<List<INDArray>> live) {
            if (arrays == null) {
                return;
            }
            Set<Object> keep = Collections.newSetFromMap(new IdentityHashMap<>());
            keep.add(buffer(images));
            for (List<INDArray> l : live) {
                if (l != arrays) {
                    for (INDArray a : l) {
                        keep.add(buffer(a));
                    }
                }
            }
            for (INDArray a : arrays) {
                Object b = buffer(a);
                if (!keep.contains(b) && released.add(b) && a.closeable()) {
                    a.close();
                }
            }
        }

        void releaseAll(List<INDArray> chunks) {
            release(chunks, List.of());
        }

        private static Object buffer(INDArray a) {
            DataBuffer d = a.data();
            return d.originalDataBuffer() != null ? d.originalDataBuffer() : d;
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
}
