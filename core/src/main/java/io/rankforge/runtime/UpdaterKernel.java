package io.rankforge.runtime;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * DL4J's parameter update (mini-batch division, L2 and weight decay, Adam or no updater) in one pass over the
 * network's flattened gradient, parameters and updater state, with DL4J's numbers bit for bit (an exact speed-up,
 * docs/native.md).
 *
 * <p>Why: DL4J 1.0.0-M2.1 applies the update block by block and parameter by parameter, creating array views and one
 * native op per parameter array and step (a ComputationGraph's gradient even takes its "external gradient" path,
 * which re-slices every array each step). With batch norm splitting the blocks (its running statistics have no
 * updater), resnet-20's update took 12–14 ms of a 60 ms training step for 69 thousand parameters: the work itself is a
 * fraction of a millisecond.
 *
 * <p>The arithmetic is libnd4j's, operation by operation in float: {@code g / batch}; L2 {@code alpha * p + g};
 * Adam {@code m = beta1 * m + g * (1 - beta1)}, {@code v = beta2 * v + g * g * (1 - beta2)}, {@code u = (m * epsT) /
 * (sqrt(v) + eps)} with {@code epsT = lr * sqrt(1 - beta2^t) / (1 - beta1^t)} (the last division in double, as the
 * C++ promotes it); weight decay {@code u = scale * p + u}. Whether the native build fused a multiply and an add into
 * one rounding depends on how it was compiled, so {@link Arithmetic#calibrated()} runs DL4J's own ops once on random
 * values and takes the variant that reproduces them; where none does, networks keep DL4J's updater. The powers
 * {@code beta^t} come from ND4J's own {@code pow} (the function libnd4j's Adam calls), not from Java's.
 *
 * <p>Only what is checked is done here: float arrays, every block Adam or no updater, regularisation L2 or weight
 * decay, no gradient normalisation, no pre-training blocks. Anything else is DL4J's path ({@link #plan} is empty).
 */
final class UpdaterKernel {
    private static final int CHUNK = 2048;

    /** A run of parameters with one updater, one regularisation and one division rule. */
    private record Run(
            int from,
            int to,
            Adam adam, // null: no updater (the update is the regularised gradient)
            int momentOffset, // state index of the run's first first-moment element (Adam only)
            int secondMomentOffset,
            boolean divide,
            ISchedule l2, // null: none
            ISchedule weightDecay, // null: none
            boolean weightDecayTimesLr) {}

    private final List<Run> runs;
    private final int length;
    private final Arithmetic arithmetic;
    private final boolean needsState; // some run is Adam's, whose moments live in the updater state

    private UpdaterKernel(List<Run> runs, int length, Arithmetic arithmetic) {
        this.runs = List.copyOf(runs);
        this.needsState = runs.stream().anyMatch(r -> r.adam() != null);
        this.length = length;
        this.arithmetic = arithmetic;
    }

    /**
     * The kernel for {@code updater}'s network, or empty where its update is not one this kernel reproduces (or the
     * native build's arithmetic was not recognised).
     *
     * @param divisionRanges the {@code [from, to)} ranges DL4J divides by the mini-batch size
     * @param layers the network's layers in DL4J's flattening order
     */
    static Optional<UpdaterKernel> plan(
            BaseMultiLayerUpdater<?> updater, List<int[]> divisionRanges, Trainable[] layers, int length) {
        Optional<Arithmetic> arithmetic = Arithmetic.calibrated();
        if (arithmetic.isEmpty()) {
            return Optional.empty();
        }
        for (Trainable t : layers) {
            TrainingConfig c = t.getConfig();
            if (t.numParams() > 0
                    && (c == null
                            || c.getGradientNormalization() != null
                                    && c.getGradientNormalization() != GradientNormalization.None)) {
                return Optional.empty();
            }
        }
        List<Run> runs = new ArrayList<>();
        for (UpdaterBlock b : updater.getUpdaterBlocks()) {
            if (b.isPretrainUpdaterBlock()) {
                return Optional.empty();
            }
            if (b.getLayersAndVariablesInBlock().get(0).getLayer().numParams() == 0) {
                continue; // DL4J leaves such a block alone
            }
            IUpdater config = b.getGradientUpdater().getConfig();
            Adam adam;
            if (config.getClass() == Adam.class) {
                adam = (Adam) config;
            } else if (config.getClass() == NoOp.class) {
                adam = null;
            } else {
                return Optional.empty();
            }
            int blockLength = b.getParamOffsetEnd() - b.getParamOffsetStart();
            if (adam != null && b.getUpdaterViewOffsetEnd() - b.getUpdaterViewOffsetStart() != 2 * blockLength) {
                return Optional.empty();
            }
            for (UpdaterBlock.ParamState p : b.getLayersAndVariablesInBlock()) {
                ISchedule l2 = null;
                ISchedule wd = null;
                boolean wdTimesLr = false;
                List<Regularization> regs = p.getLayer().getConfig().getRegularizationByParam(p.getParamName());
                for (Regularization r : regs == null ? List.<Regularization>of() : regs) {
                    if (r.getClass() == L2Regularization.class && l2 == null) {
                        l2 = ((L2Regularization) r).getL2();
                    } else if (r.getClass() == WeightDecay.class && wd == null) {
                        wd = ((WeightDecay) r).getCoeff();
                        wdTimesLr = ((WeightDecay) r).isApplyLR();
                    } else {
                        return Optional.empty();
                    }
                }
                // split the parameter where DL4J's division ranges start or end inside it
                TreeSet<Integer> cuts = new TreeSet<>(List.of(p.getParamOffsetStart(), p.getParamOffsetEnd()));
                for (int[] r : divisionRanges) {
                    for (int edge : r) {
                        if (edge > p.getParamOffsetStart() && edge < p.getParamOffsetEnd()) {
                            cuts.add(edge);
                        }
                    }
                }
                Integer from = null;
                for (int to : cuts) {
                    if (from != null) {
                        int inBlock = from - b.getParamOffsetStart();
                        runs.add(new Run(
                                from,
                                to,
                                adam,
                                b.getUpdaterViewOffsetStart() + inBlock,
                                b.getUpdaterViewOffsetStart() + blockLength + inBlock,
                                divided(divisionRanges, from),
                                l2,
                                wd,
                                wdTimesLr));
                    }
                    from = to;
                }
            }
        }
        return Optional.of(new UpdaterKernel(runs, length, arithmetic.get()));
    }

    private static boolean divided(List<int[]> ranges, int index) {
        for (int[] r : ranges) {
            if (index >= r[0] && index < r[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the update as DL4J's {@code BaseMultiLayerUpdater.update} would, writing the update into
     * {@code gradient} (which DL4J's step then subtracts from the parameters) and the new moments into {@code state}.
     *
     * @return false, touching nothing, where the arrays are not the dense float arrays planned for
     */
    boolean apply(INDArray gradient, INDArray params, INDArray state, int iteration, int epoch, int batchSize) {
        if (!dense(gradient, length)
                || !dense(params, length)
                || (state == null ? needsState : !dense(state, state.length()))) {
            return false; // checked before anything is written: DL4J's path then starts from the same arrays
        }
        FloatBuffer g = NativeArrays.floats(gradient);
        FloatBuffer p = NativeArrays.floats(params);
        FloatBuffer s = state == null ? null : NativeArrays.floats(state);
        Chunks c = Chunks.get();
        float batch = batchSize;
        Adam lastAdam = null;
        AdamStep step = null;
        for (Run r : runs) {
            if (r.adam() != null && r.adam() != lastAdam) {
                // the layers' configurations hold equal copies of one Adam: one step's constants serve them all
                step = AdamStep.of(r.adam(), iteration, epoch, step);
                lastAdam = r.adam();
            }
            float alpha = r.l2() == null ? 0f : (float) r.l2().valueAt(iteration, epoch);
            float decay = 0f;
            if (r.weightDecay() != null) {
                double scale = r.weightDecay().valueAt(iteration, epoch);
                if (r.weightDecayTimesLr() && r.adam() != null) {
                    scale *= r.adam().getLearningRate(iteration, epoch);
                }
                decay = (float) scale;
            }
            for (int at = r.from(); at < r.to(); at += CHUNK) {
                int n = Math.min(CHUNK, r.to() - at);
                g.get(at, c.g, 0, n);
                if (r.l2() != null || r.weightDecay() != null) {
                    p.get(at, c.p, 0, n);
                }
                if (r.divide()) {
                    for (int i = 0; i < n; i++) {
                        c.g[i] = c.g[i] / batch;
                    }
                }
                if (r.l2() != null) {
                    arithmetic.axpy(alpha, c.p, c.g, n);
                }
                if (r.adam() != null) {
                    int m = r.momentOffset() + (at - r.from());
                    int v = r.secondMomentOffset() + (at - r.from());
                    s.get(m, c.m, 0, n);
                    s.get(v, c.v, 0, n);
                    arithmetic.adam(step, c.g, c.m, c.v, n);
                    s.put(m, c.m, 0, n);
                    s.put(v, c.v, 0, n);
                }
                if (r.weightDecay() != null) {
                    arithmetic.axpy(decay, c.p, c.g, n);
                }
                g.put(at, c.g, 0, n);
            }
        }
        return true;
    }

    private static boolean dense(INDArray a, long length) {
        return a.dataType() == DataType.FLOAT
                && a.length() == length
                && a.offset() == 0
                && a.elementWiseStride() == 1
                && a.data().length() >= length;
    }

    /** One step's Adam constants, as libnd4j's helper derives them from the op's arguments. */
    record AdamStep(float beta1, float beta2, float epsilon, float epsilonT, float beta1T, float beta2T) {
        /**
         * @param previous the constants of another Adam at this step, whose powers of beta are reused when its betas
         *     are the same (null: none)
         */
        static AdamStep of(Adam adam, int iteration, int epoch, AdamStep previous) {
            float lr = (float) adam.getLearningRate(iteration, epoch);
            float beta1 = (float) adam.getBeta1();
            float beta2 = (float) adam.getBeta2();
            float epsilon = (float) adam.getEpsilon();
            float[] powers = previous != null && previous.beta1() == beta1 && previous.beta2() == beta2
                    ? new float[] {previous.beta1T(), previous.beta2T()}
                    : Arithmetic.powers(beta1, beta2, (float) iteration + 1f);
            // lr * sqrt(1 - beta2^t) in float, divided by (1.0 - beta1^t) in double, stored as float
            float root = (float) Math.sqrt((float) (1.0 - (double) powers[1]));
            float epsilonT = (float) ((double) (lr * root) / (1.0 - (double) powers[0]));
            if (Float.isNaN(epsilonT) || epsilonT == 0f || Float.isInfinite(epsilonT)) {
                epsilonT = epsilon;
            }
            return new AdamStep(beta1, beta2, epsilon, epsilonT, powers[0], powers[1]);
        }
    }

    /** Per-thread chunk buffers (one network trains on one thread). */
    private static final class Chunks {
        private static final ThreadLocal<Chunks> PER_THREAD = ThreadLocal.withInitial(Chunks::new);
        final float[] g = new float[CHUNK];
        final float[] p = new float[CHUNK];
        final float[] m = new float[CHUNK];
        final float[] v = new float[CHUNK];

        static Chunks get() {
            return PER_THREAD.get();
        }
    }
}
