package io.rankforge.eval;

import io.rankforge.UserInputException;
import io.rankforge.data.ImageDataset;
import io.rankforge.runtime.ChannelMoments;
import io.rankforge.runtime.TrainingKernels;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
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
 * <p>Memory: each layer's output chunks go into a workspace of the pass that is reset once the layers reading them
 * have run, and the workspaces stay with the thread for its next recalibration ({@link Pass}). Fresh native memory
 * for every output, as the pass first did, cost more than the pass's arithmetic: a page touched for the first time
 * took 12.7–15.5 µs on the 2-core VM the benchmarks ran on (benchmarks/page-touch).
 *
 * <p>Why not one training-mode pass over all the images as one batch (how it was done before): every layer's output
 * was then tens of MB of fresh memory, copied again to be kept ({@code TrialPhases}, benchmarks/README.md, has both
 * passes' cost).
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
        return recalibrate(model, images, Pass.RETAINED_BYTES);
    }

    /**
     * As {@link #recalibrate(Model, ImageDataset)}; the pass's workspaces are destroyed afterwards if they hold more
     * than {@code retainedBytes}.
     */
    static List<String> recalibrate(Model model, ImageDataset images, long retainedBytes) {
        if (images == null || images.size() < 2) {
            throw new IllegalArgumentException("batch-norm recalibration needs at least 2 calibration images, got "
                    + (images == null ? "none" : images.size()));
        }
        if (images.size() > MAX_IMAGES) {
            throw new IllegalArgumentException("batch-norm recalibration takes at most " + MAX_IMAGES
                    + " calibration images, got " + images.size());
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
        List<INDArray> chunks = new ArrayList<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
                Pass pass = new Pass(retainedBytes)) {
            // the images a chunk at a time, as evaluation batches them: a single batch of hundreds of images made
            // every layer's output tens of MB of fresh memory
            for (int from = 0; from < images.size(); from += CHUNK) {
                INDArray x = features.get(NDArrayIndex.interval(from, Math.min(images.size(), from + CHUNK)));
                chunks.add(nhwc ? x.permute(0, 2, 3, 1).dup('c') : x);
            }
            return model instanceof MultiLayerNetwork mln
                    ? recalibrate(mln, chunks, pass)
                    : recalibrate((ComputationGraph) model, chunks, pass);
        } finally {
            // the layers keep references to their last inputs: drop them, their workspaces are reset
            if (model instanceof MultiLayerNetwork mln) {
                mln.clearLayersStates();
            } else {
                ((ComputationGraph) model).clearLayersStates();
            }
            if (nhwc) {
                chunks.forEach(INDArray::close); // the permuted copies are the pass's own
            }
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
        Activations x = Activations.of(images);
        for (int i = 0; i <= last; i++) {
            InputPreProcessor pre = mln.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                Activations in = x;
                x = pass.compute(List.of(in), (c, mgr) -> preProcessed(pre, in.chunk(c), mgr));
                pass.release(in);
            }
            if (layers[i] instanceof BatchNormalization bn) {
                setStatistics(bn, x.chunks());
                done.add(bn.conf().getLayer().getLayerName());
            }
            if (i < last) {
                Layer layer = layers[i];
                Activations in = x;
                x = pass.compute(List.of(in), (c, mgr) -> {
                    INDArray y = layer.activate(in.chunk(c), false, mgr);
                    layer.clear();
                    return y;
                });
                pass.release(in);
            }
        }
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
        Map<String, Activations> outputs = new HashMap<>();
        List<String> done = new ArrayList<>();
        for (int k = 0; k <= last; k++) {
            GraphVertex v = vertices[order[k]];
            String name = v.getVertexName();
            if (v.isInputVertex()) {
                outputs.put(name, Activations.of(images));
                continue;
            }
            List<Activations> in = new ArrayList<>();
            for (String input : inputsOf.get(name)) {
                in.add(outputs.get(input));
            }
            if (v instanceof LayerVertex lv && lv.getLayer() instanceof BatchNormalization bn) {
                InputPreProcessor pre = lv.getLayerPreProcessor();
                Activations seen = pre == null
                        ? in.get(0)
                        : pass.compute(
                                List.of(in.get(0)),
                                (c, mgr) -> preProcessed(pre, in.get(0).chunk(c), mgr));
                setStatistics(bn, seen.chunks());
                if (seen != in.get(0)) {
                    pass.release(seen);
                }
                done.add(name);
            }
            if (k < last) {
                outputs.put(name, pass.compute(in, (c, mgr) -> forward(v, in, c, mgr)));
            }
            for (String input : inputsOf.get(name)) {
                if (consumers.merge(input, -1, Integer::sum) == 0) {
                    pass.release(outputs.remove(input));
                }
            }
        }
        return done;
    }

    /** Vertex {@code v}'s inference output for chunk {@code c} of its inputs. */
    private static INDArray forward(GraphVertex v, List<Activations> inputs, int c, LayerWorkspaceMgr mgr) {
        if (v instanceof LayerVertex lv) {
            // the vertex's preprocessor on this chunk's own batch size (the graph's is not set by this pass)
            INDArray x = preProcessed(lv.getLayerPreProcessor(), inputs.get(0).chunk(c), mgr);
            INDArray y = lv.getLayer().activate(x, false, mgr);
            lv.getLayer().clear();
            return y;
        }
        INDArray[] in = new INDArray[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs.get(i).chunk(c);
        }
        v.setInputs(in);
        INDArray y = v.doForward(false, mgr);
        v.clear();
        return y;
    }

    /** {@code x} through {@code pre} (none: {@code x}) at {@code x}'s own batch size. */
    private static INDArray preProcessed(InputPreProcessor pre, INDArray x, LayerWorkspaceMgr mgr) {
        return pre == null ? x : pre.preProcess(x, (int) x.size(0), mgr);
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
     * One layer's or vertex's output for every chunk of images, held in one activation workspace of the pass (none:
     * the caller's images, which the pass never frees).
     */
    private record Activations(List<INDArray> chunks, MemoryWorkspace workspace) {
        static Activations of(List<INDArray> images) {
            return new Activations(images, null);
        }

        int size() {
            return chunks.size();
        }

        INDArray chunk(int c) {
            return chunks.get(c);
        }
    }

    /** Computes one chunk's output; arrays it creates go where {@code mgr} says. */
    private interface ChunkStep {
        INDArray apply(int chunk, LayerWorkspaceMgr mgr);
    }

    /**
     * The memory of one pass: every layer's (vertex's) output chunks go into an activation workspace of their own,
     * reset as soon as the last layer reading them has run, and each chunk's scratch arrays into a working-memory
     * workspace reset after every chunk. The workspaces belong to the thread and are kept for its next recalibration
     * (a sweep's executor thread recalibrates one trial after another) unless they hold more than the bytes to retain
     * ({@link #RETAINED_BYTES} by default), so that a large calibration set does not pin its memory to the thread.
     */
    static final class Pass implements AutoCloseable {
        /** Workspaces larger than this in all are destroyed after the pass instead of kept for the next one. */
        static final long RETAINED_BYTES = 256L << 20;

        static final String WORKSPACE_PREFIX = "RANKFORGE_RECALIBRATION_";
        private static final String WORKING = WORKSPACE_PREFIX + "WORKING";
        // sized by the first pass, grown (reallocated) whenever a later pass needs more
        private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
                .initialSize(0)
                .overallocationLimit(0.05)
                .policyLearning(LearningPolicy.FIRST_LOOP)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE)
                .policyAllocation(AllocationPolicy.OVERALLOCATE)
                .build();

        private final long retainedBytes;
        private final Deque<String> free = new ArrayDeque<>();
        private final Set<MemoryWorkspace> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private int created;

        Pass(long retainedBytes) {
            this.retainedBytes = retainedBytes;
        }

        /**
         * {@code step} for every chunk of {@code inputs}, the outputs in a newly opened activation workspace; the
         * inputs are read where they are (a layer would otherwise copy its input into working memory).
         */
        Activations compute(List<Activations> inputs, ChunkStep step) {
            int n = inputs.get(0).size();
            String id = free.isEmpty() ? activationsId(created++) : free.pop();
            MemoryWorkspace current = Nd4j.getMemoryManager().getCurrentWorkspace();
            MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
            // opened and closed out of nesting order (a layer's outputs outlive the next layer's scope): closing it
            // must restore the workspace current before the pass, and so must opening it
            ws.setPreviousWorkspace(current);
            Nd4j.getMemoryManager().setCurrentWorkspace(current);
            open.add(ws);
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                    .with(ArrayType.FF_WORKING_MEM, WORKING, CONFIG)
                    .with(ArrayType.INPUT, WORKING, CONFIG)
                    .with(ArrayType.ACTIVATIONS, id, CONFIG)
                    .build();
            mgr.setHelperWorkspacePointers(new HashMap<>());
            for (Activations in : inputs) {
                if (in.workspace() != null) {
                    mgr.setNoLeverageOverride(in.workspace().getId());
                }
            }
            List<INDArray> out = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                    INDArray y = step.apply(c, mgr);
                    if (y.isAttached()
                            && !id.equals(y.data().getParentWorkspace().getId())) {
                        // a view of the input (a reshape) or the input itself: copied, its workspace is reset first
                        y = y.leverageTo(id, true);
                    }
                    out.add(y);
                }
            }
            return new Activations(out, ws);
        }

        /** Resets {@code a}'s workspace for reuse; its arrays must not be read again. */
        void release(Activations a) {
            if (a != null && a.workspace() != null && open.remove(a.workspace())) {
                a.workspace().close();
                free.push(a.workspace().getId());
            }
        }

        /** The id of the pass's {@code i}-th activation workspace. */
        static String activationsId(int i) {
            return WORKSPACE_PREFIX + "ACTIVATIONS_" + i;
        }

        /** Closes what is still open; destroys the pass's workspaces if they hold more than the bytes to retain. */
        @Override
        public void close() {
            for (MemoryWorkspace ws : List.copyOf(open)) {
                ws.close();
            }
            open.clear();
            List<MemoryWorkspace> all = new ArrayList<>();
            all.add(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(CONFIG, WORKING));
            for (int i = 0; i < created; i++) {
                all.add(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(CONFIG, activationsId(i)));
            }
            long bytes = 0;
            for (MemoryWorkspace ws : all) {
                bytes += ws.getCurrentSize();
            }
            if (bytes > retainedBytes) {
                all.forEach(ws -> Nd4j.getWorkspaceManager().destroyWorkspace(ws));
            }
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
