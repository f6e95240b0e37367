package io.rankforge.runtime;

import io.rankforge.UserInputException;
import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Puts RankForge's own training kernels into a DL4J network's layers before it is trained: today the fused batch-norm
 * pass ({@link BatchNormKernel}). Every place that trains or runs a network in training mode (zoo training,
 * fine-tuning, batch-norm recalibration) calls {@link #install} on the network it is about to use; a copy made with
 * {@code clone()} or transfer learning has DL4J's helpers again and needs the call too.
 *
 * <p>{@code RANKFORGE_BN_KERNEL=dl4j} (or {@code -Drankforge.bn-kernel=dl4j}) keeps DL4J's helpers, for comparisons
 * and as a way out; the default is {@code fused}. The choice is recorded as {@link #label()}.
 */
public final class TrainingKernels {
    /** System property that chooses the batch-norm kernel ({@code fused} or {@code dl4j}). */
    public static final String PROPERTY = "rankforge.bn-kernel";
    /** Environment variable with the same meaning; the system property wins over it. */
    public static final String ENVIRONMENT = "RANKFORGE_BN_KERNEL";

    private static final Field HELPER = helperField();

    private TrainingKernels() {}

    /** {@code fused} or {@code dl4j}: the batch-norm kernel that training uses in this process. */
    public static String label() {
        return fused() ? "fused" : "dl4j";
    }

    /**
     * Installs the fused batch-norm kernel in every batch-norm layer of {@code model} (idempotent; inference keeps
     * DL4J's helper). Does nothing when the kernel is switched off.
     *
     * @return how many layers now use the fused kernel
     */
    public static int install(Model model) {
        if (!fused()) {
            return 0;
        }
        int installed = 0;
        for (Layer layer : layers(model)) {
            if (layer instanceof BatchNormalization bn) {
                try {
                    Object current = HELPER.get(bn);
                    if (!(current instanceof BatchNormKernel)) {
                        HELPER.set(bn, new BatchNormKernel((BatchNormalizationHelper) current));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set the batch-norm helper of DL4J's layer", e);
                }
                installed++;
            }
        }
        return installed;
    }

    /** A batch's per-channel mean and biased variance, as DL4J's training mode normalises with. */
    public record BatchStatistics(INDArray mean, INDArray variance) {}

    /**
     * The statistics of the input of {@code bn}'s last training-mode pass when the fused kernel computed them (an
     * NCHW float input), so a caller that needs them (batch-norm recalibration) need not reduce the input again.
     */
    public static Optional<BatchStatistics> lastBatchStatistics(BatchNormalization bn) {
        try {
            return HELPER.get(bn) instanceof BatchNormKernel k ? k.lastStatistics() : Optional.empty();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the batch-norm helper of DL4J's layer", e);
        }
    }

    private static boolean fused() {
        String v = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (v == null || v.isBlank()) {
            return true;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "fused" -> true;
            case "dl4j" -> false;
            default ->
                throw new UserInputException(
                        ENVIRONMENT + " (or -D" + PROPERTY + ") must be fused or dl4j, got '" + v + "'");
        };
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

    private static Field helperField() {
        try {
            // DL4J 1.0.0-M2.1 keeps the layer's helper in a package-private field and offers no setter
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "DL4J's BatchNormalization has no 'helper' field: TrainingKernels needs updating for this DL4J", e);
        }
    }
}
