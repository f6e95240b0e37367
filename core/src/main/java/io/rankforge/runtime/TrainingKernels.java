package io.rankforge.runtime;

import io.rankforge.UserInputException;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;

/**
 * Makes a DL4J network's training step faster before it is trained (docs/native.md, "Training step"):
 *
 * <ul>
 *   <li>the fused batch-norm pass ({@link BatchNormKernel}), whose rounding differs from DL4J's;
 *   <li>changes that give DL4J's own numbers, faster ("exact speed-ups"): the ReLU backward pass on the bits of the
 *       arrays ({@link ReluActivationLayer}), DL4J's cache of each convolution's forward output for its backward pass
 *       (cache mode {@code DEVICE}; without it DL4J computes every convolution a second time in the backward pass),
 *       and the parameter update in one pass over the flattened arrays ({@link FusedUpdaters}, {@link
 *       UpdaterKernel}) where it reproduces DL4J's (installed by {@link #installForTraining} only);
 *   <li>dense layers whose products run through libnd4j's {@code matmul} (oneDNN's) into C-order arrays, with their
 *       forward output cached ({@link MatmulDenseLayer}; rounding differs from DL4J's);
 *   <li>a first convolution that leaves out the input's gradient inside {@link #fitting()} scopes ({@link
 *       InputConvolutionLayer}; installed by {@link #installForTraining} only; its weight gradient's rounding differs).
 * </ul>
 *
 * <p>Every place that trains or runs a network (zoo training, fine-tuning, evaluation, batch-norm recalibration)
 * calls {@link #install} on the network it is about to use, and the places that fit it (zoo training, fine-tuning)
 * {@link #installForTraining}; a copy made with {@code clone()} or
 * transfer learning has DL4J's layers and helpers again and needs the call too. The kernels leave the network's
 * configuration alone except for the cache mode, which a saved network records (it affects only training memory and
 * speed).
 *
 * <p>{@code RANKFORGE_BN_KERNEL=dl4j} (or {@code -Drankforge.bn-kernel=dl4j}) keeps DL4J's batch-norm helpers, for
 * comparisons and as a way out; the default is {@code fused}. The choice is recorded as {@link #label()}.
 * {@code RANKFORGE_EXACT_SPEEDUPS=off} (or {@code -Drankforge.exact-speedups=off}) leaves out the exact speed-ups;
 * the default is {@code on} ({@link #exactSpeedupsLabel()}). {@code RANKFORGE_DENSE_KERNEL=dl4j} and {@code
 * RANKFORGE_INPUT_GRADIENT=dl4j} keep DL4J's dense layers and first convolution ({@link #denseKernelLabel()}, {@link
 * #inputGradientLabel()}).
 */
public final class TrainingKernels {
    /** System property that chooses the batch-norm kernel ({@code fused} or {@code dl4j}). */
    public static final String PROPERTY = "rankforge.bn-kernel";
    /** Environment variable with the same meaning; the system property wins over it. */
    public static final String ENVIRONMENT = "RANKFORGE_BN_KERNEL";
    /** System property that switches the exact speed-ups ({@code on} or {@code off}). */
    public static final String EXACT_PROPERTY = "rankforge.exact-speedups";
    /** Environment variable with the same meaning; the system property wins over it. */
    public static final String EXACT_ENVIRONMENT = "RANKFORGE_EXACT_SPEEDUPS";
    /** System property that chooses the first layer's backward pass ({@code skip} or {@code dl4j}). */
    public static final String INPUT_GRADIENT_PROPERTY = "rankforge.input-gradient";
    /** Environment variable with the same meaning; the system property wins over it. */
    public static final String INPUT_GRADIENT_ENVIRONMENT = "RANKFORGE_INPUT_GRADIENT";

    /** System property that chooses the dense layers' products ({@code matmul} or {@code dl4j}). */
    public static final String DENSE_PROPERTY = "rankforge.dense-kernel";
    /** Environment variable with the same meaning; the system property wins over it. */
    public static final String DENSE_ENVIRONMENT = "RANKFORGE_DENSE_KERNEL";

    private static final ThreadLocal<int[]> FITTING = ThreadLocal.withInitial(() -> new int[1]);

    private static final Field HELPER = dl4jField(BatchNormalization.class, "helper");
    private static final Field LAYER_MAP = dl4jField(MultiLayerNetwork.class, "layerMap");

    private TrainingKernels() {}

    /** {@code fused} or {@code dl4j}: the batch-norm kernel that training uses in this process. */
    public static String label() {
        return fused() ? "fused" : "dl4j";
    }

    /** {@code on} or {@code off}: whether training in this process uses the exact speed-ups. */
    public static String exactSpeedupsLabel() {
        return choice(EXACT_PROPERTY, EXACT_ENVIRONMENT, "on", "off") ? "on" : "off";
    }

    /**
     * {@code matmul} or {@code dl4j}: whether dense layers multiply by libnd4j's {@code matmul} into C-order arrays
     * and keep their forward output for the backward pass ({@link MatmulDenseLayer}).
     */
    public static String denseKernelLabel() {
        return choice(DENSE_PROPERTY, DENSE_ENVIRONMENT, "matmul", "dl4j") ? "matmul" : "dl4j";
    }

    /**
     * {@code skip} or {@code dl4j}: whether a network's first convolution, while RankForge fits the network, leaves
     * out the gradient with respect to the input images ({@link InputConvolutionLayer}).
     */
    public static String inputGradientLabel() {
        return choice(INPUT_GRADIENT_PROPERTY, INPUT_GRADIENT_ENVIRONMENT, "skip", "dl4j") ? "skip" : "dl4j";
    }

    /**
     * A scope in which this thread fits networks: inside it, a first layer installed by {@link #installForTraining}
     * computes no gradient for the network's input, which fitting discards. Outside it (a caller asking DL4J for the
     * input's gradient, a gradient check) the layer is DL4J's. Scopes nest.
     */
    public static Fitting fitting() {
        FITTING.get()[0]++;
        return new Fitting();
    }

    /** Whether this thread is inside a {@link #fitting()} scope. */
    static boolean isFitting() {
        return FITTING.get()[0] > 0;
    }

    /** The scope {@link #fitting()} opens; closing it twice closes it once. */
    public static final class Fitting implements AutoCloseable {
        private boolean open = true;

        private Fitting() {}

        @Override
        public void close() {
            if (open) {
                open = false;
                FITTING.get()[0]--;
            }
        }
    }

    /**
     * Installs the fused batch-norm kernel in every batch-norm layer of {@code model}, the ReLU backward pass in every
     * activation layer with a plain ReLU, and the cache of convolution outputs (idempotent; inference keeps DL4J's
     * paths), and puts OpenBLAS on one thread while networks run ({@link BlasThreads}). What is switched off is not
     * installed.
     *
     * @return how many layers now use one of the kernels (the cache is not counted)
     */
    public static int install(Model model) {
        BlasThreads.forNetworks();
        Layer[] layers = layers(model);
        int installed = 0;
        boolean exact = exactSpeedupsLabel().equals("on");
        if (exact) {
            installed += installRelu(model, layers);
            cacheConvolutionOutputs(model);
        }
        if (denseKernelLabel().equals("matmul")) {
            installed += installDense(model, layers);
        }
        boolean fused = fused();
        if (!fused && !exact) {
            return installed;
        }
        for (Layer layer : layers) {
            if (layer instanceof BatchNormalization bn) {
                try {
                    Object current = HELPER.get(bn);
                    BatchNormalizationHelper dl4j =
                            current instanceof BatchNormKernel k ? k.fallback() : (BatchNormalizationHelper) current;
                    BatchNormKernel kernel = new BatchNormKernel(dl4j, fused, exact);
                    if (!(current instanceof BatchNormKernel k)
                            || k.trains() != kernel.trains()
                            || k.infers() != kernel.infers()) {
                        HELPER.set(bn, kernel);
                    }
                    if (kernel.trains() || kernel.infers()) {
                        installed++;
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set the batch-norm helper of DL4J's layer", e);
                }
            }
        }
        return installed;
    }

    /**
     * {@link #install} and, with the exact speed-ups on, the parameter update in one pass ({@link FusedUpdaters}),
     * for a network about to be fitted. Only places that update parameters call this: it gives the network an updater
     * (state twice the size of its parameters), which a network that is only evaluated or recalibrated does not need.
     *
     * @return what {@link #install} returns
     */
    public static int installForTraining(Model model) {
        int installed = install(model);
        if (inputGradientLabel().equals("skip")) {
            // before the updater is built: DL4J's updater keeps the layers it was built from
            installed += installInputConvolution(model);
        }
        if (exactSpeedupsLabel().equals("on")) {
            FusedUpdaters.install(model);
        }
        return installed;
    }

    /**
     * Replaces the convolutions that read a network input alone by {@link InputConvolutionLayer}s where it supports
     * them: a MultiLayerNetwork's first layer; in a ComputationGraph, every layer whose only input is a network input
     * that feeds nothing else (no preprocessor between them), so that the input's gradient is the layer's alone and
     * nobody reads it while the network is fitted.
     */
    private static int installInputConvolution(Model model) {
        Layer[] layers = layers(model);
        Set<Layer> readers = Collections.newSetFromMap(new IdentityHashMap<>());
        if (model instanceof MultiLayerNetwork && layers.length > 0) {
            readers.add(layers[0]);
        } else if (model instanceof ComputationGraph cg) {
            GraphVertex[] vertices = cg.getVertices();
            for (GraphVertex v : vertices) {
                if (v instanceof LayerVertex lv
                        && lv.getInputVertices() != null
                        && lv.getInputVertices().length == 1
                        && lv.getLayerPreProcessor() == null) {
                    GraphVertex source = vertices[lv.getInputVertices()[0].getVertexIndex()];
                    if (source.isInputVertex() && source.getNumOutputConnections() == 1) {
                        readers.add(lv.getLayer());
                    }
                }
            }
        }
        return replaceLayers(
                model,
                layers,
                InputConvolutionLayer.class,
                l -> readers.contains(l) && l instanceof ConvolutionLayer conv && InputConvolutionLayer.supports(conv)
                        ? new InputConvolutionLayer(conv)
                        : null);
    }

    /**
     * Replaces DL4J's activation layers that apply a plain ReLU by {@link ReluActivationLayer}s, so the network's
     * training passes use the faster backward pass.
     */
    private static int installRelu(Model model, Layer[] layers) {
        return replaceLayers(
                model,
                layers,
                ReluActivationLayer.class,
                l -> l.getClass() == ActivationLayer.class
                                && ReluActivationLayer.isPlainRelu(
                                        ((ActivationLayer) l).layerConf().getActivationFn())
                        ? new ReluActivationLayer((ActivationLayer) l)
                        : null);
    }

    /** Replaces DL4J's dense layers by {@link MatmulDenseLayer}s where it supports them. */
    private static int installDense(Model model, Layer[] layers) {
        return replaceLayers(
                model,
                layers,
                MatmulDenseLayer.class,
                l -> l instanceof DenseLayer dense && MatmulDenseLayer.supports(dense)
                        ? new MatmulDenseLayer(dense)
                        : null);
    }

    /**
     * Puts {@code replacement}'s layer in place of every layer it gives one for (null: keep the layer), in the
     * network's own layer array and wherever the network looks layers up; the layers' configurations stay the same
     * objects. Idempotent: layers already of {@code kind} are counted, not replaced.
     *
     * @return how many layers are of {@code kind} now
     */
    private static int replaceLayers(
            Model model, Layer[] layers, Class<? extends Layer> kind, Function<Layer, Layer> replacement) {
        int installed = 0;
        boolean parameters = false;
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            Layer replaced = kind.isInstance(layer) ? layer : replacement.apply(layer);
            if (replaced != null) {
                installed++;
            }
            if (replaced != null && replaced != layer) {
                layers[i] = replaced;
                replaceReferences(model, layer, replaced);
                parameters |= layer.numParams() > 0;
            }
        }
        if (parameters) {
            refreshUpdater(model);
        }
        return installed;
    }

    /**
     * Rebuilds a network's updater, from an earlier fit, around the same state array: DL4J's updater refers to the
     * layers it was built from, and a replaced layer with parameters must be among them.
     */
    private static void refreshUpdater(Model model) {
        if (model instanceof MultiLayerNetwork mln && mln.getUpdater(false) instanceof MultiLayerUpdater u) {
            mln.setUpdater(new MultiLayerUpdater(mln, u.getStateViewArray()));
        } else if (model instanceof ComputationGraph cg && cg.getUpdater(false) != null) {
            cg.setUpdater(new ComputationGraphUpdater(cg, cg.getUpdater(false).getStateViewArray()));
        }
    }

    private static void replaceReferences(Model model, Layer old, Layer replacement) {
        if (model instanceof ComputationGraph cg) {
            for (GraphVertex v : cg.getVertices()) {
                if (v instanceof LayerVertex lv && lv.getLayer() == old) {
                    lv.setLayer(replacement);
                }
            }
        } else if (model instanceof MultiLayerNetwork mln) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Layer> byName = (Map<String, Layer>) LAYER_MAP.get(mln);
                if (byName != null) {
                    byName.replaceAll((name, l) -> l == old ? replacement : l);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot update DL4J's layer map", e);
            }
        }
    }

    /**
     * Sets DL4J's cache mode to {@code DEVICE} unless the network has one already: a convolution layer then keeps its
     * forward output for the backward pass, which otherwise computes the convolution again. The configuration's
     * mode decides whether DL4J gives the cache a workspace, the layers' mode whether they use it; both are set.
     */
    private static void cacheConvolutionOutputs(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = mln.getLayerWiseConfigurations();
            if (conf.getCacheMode() == null || conf.getCacheMode() == CacheMode.NONE) {
                conf.setCacheMode(CacheMode.DEVICE);
                mln.setCacheMode(CacheMode.DEVICE);
            }
        } else if (model instanceof ComputationGraph cg) {
            ComputationGraphConfiguration conf = cg.getConfiguration();
            if (conf.getCacheMode() == null || conf.getCacheMode() == CacheMode.NONE) {
                conf.setCacheMode(CacheMode.DEVICE);
                cg.setCacheMode(CacheMode.DEVICE);
            }
        }
    }

    private static boolean fused() {
        return choice(PROPERTY, ENVIRONMENT, "fused", "dl4j");
    }

    /** Whether the switch {@code property}/{@code environment} says {@code yes} (the default), not {@code no}. */
    private static boolean choice(String property, String environment, String yes, String no) {
        String v = System.getProperty(property, System.getenv(environment));
        if (v == null || v.isBlank()) {
            return true;
        }
        String chosen = v.trim().toLowerCase(Locale.ROOT);
        if (chosen.equals(yes) || chosen.equals(no)) {
            return chosen.equals(yes);
        }
        throw new UserInputException(
                environment + " (or -D" + property + ") must be " + yes + " or " + no + ", got '" + v + "'");
    }

    private static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getLayers();
        }
        if (model instanceof ComputationGraph cg) {
            return cg.getLayers();
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /**
     * A field DL4J 1.0.0-M2.1 keeps without accessor (the batch-norm layer's helper, a network's layer map), made
     * accessible; a DL4J without it stops class initialisation with a message naming it.
     */
    private static Field dl4jField(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "DL4J's " + owner.getSimpleName() + " has no '" + name
                            + "' field: TrainingKernels needs updating for this DL4J",
                    e);
        }
    }
}
