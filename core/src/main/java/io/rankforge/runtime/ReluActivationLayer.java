package io.rankforge.runtime;

import static io.rankforge.runtime.NativeArrays.contiguous;
import static io.rankforge.runtime.NativeArrays.ints;

import java.nio.IntBuffer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's activation layer with faster training passes for plain ReLU on float activations, each one branch-free loop
 * over the arrays' bits that the JIT vectorises (docs/native.md, "Training step: exact speed-ups"): backward, the
 * incoming gradient where the input is positive and zero elsewhere; forward while training, the input with its
 * negative values replaced by zero, written straight into the layer's output.
 *
 * <p>Why: backward, DL4J 1.0.0-M2.1 copies the layer's input and runs libnd4j's {@code relu_bp}, which on one thread
 * moves about 0.4 billion elements a second, 5-7× slower than this loop on the same arrays; in vgg-mini that was a
 * tenth of a training step (benchmarks/results/training-profile-vgg-mini-exact-off.csv). Forward while training, DL4J
 * copies the input (backpropagation needs it) and then runs libnd4j's {@code RectifiedLinear} over the copy in place:
 * two passes where one does, 7% of resnet-20's training step at two threads
 * (benchmarks/results/training-profile-resnet-20-2-threads.csv). Both give the same number for every element as DL4J.
 * Any other activation, data type or shape goes to DL4J's own pass, unchanged; so does inference, which DL4J already
 * runs in place. The layer's configuration is DL4J's and untouched, so a saved or cloned network is plain DL4J.
 */
final class ReluActivationLayer extends ActivationLayer {
    private static final int CHUNK = 4096; // ints per bulk copy: two chunks stay in the first-level cache
    private static final ThreadLocal<int[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new int[][] {new int[CHUNK], new int[CHUNK]});
    private static final int POSITIVE_INFINITY_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
    private static final int NEGATIVE_INFINITY_BITS = Float.floatToRawIntBits(Float.NEGATIVE_INFINITY);

    /** A layer that behaves as {@code original} and carries its state (index, listeners, counters, input). */
    ReluActivationLayer(ActivationLayer original) {
        super(original.conf(), original.getDataType());
        LayerState.copy(original, this, ActivationLayer.class);
    }

    /** Whether {@code activation} is ReLU without a cap, threshold or negative slope: what this layer speeds up. */
    static boolean isPlainRelu(IActivation activation) {
        return activation != null
                && activation.getClass() == ActivationReLU.class
                && zeroOrUnset(((ActivationReLU) activation).getMax())
                && zeroOrUnset(((ActivationReLU) activation).getThreshold())
                && zeroOrUnset(((ActivationReLU) activation).getNegativeSlope());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!training || !supportsFloatPass(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        forward(contiguous(input), out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!supportsFloatPass(input) || epsilon.dataType() != DataType.FLOAT || !input.equalShapes(epsilon)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray delta =
                workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        gradient(contiguous(input), contiguous(epsilon), delta);
        return new Pair<>(new DefaultGradient(), delta);
    }

    /** Whether this layer's own loops apply to {@code x}: plain ReLU, float, at most 2^31 - 1 elements. */
    private boolean supportsFloatPass(INDArray x) {
        return isPlainRelu(layerConf().getActivationFn())
                && x.dataType() == DataType.FLOAT
                && x.length() <= Integer.MAX_VALUE;
    }

    /**
     * {@code out[i] = in[i] < 0 ? 0 : in[i]} over two dense C-order float arrays of one length: what libnd4j's {@code
     * RectifiedLinear} (threshold 0) computes, element for element, so -0.0 and NaNs of either sign pass unchanged. On
     * the bits: a float is below zero exactly when its bits, read as an int, lie in (bits of -0.0, bits of -∞], that is
     * in {@code (Integer.MIN_VALUE, 0xff800000]}; the mask of that test clears them.
     */
    static void forward(INDArray in, INDArray out) {
        IntBuffer xs = ints(in);
        IntBuffer outs = ints(out);
        int[] x = SCRATCH.get()[0];
        int n = (int) in.length();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            xs.get(from, x, 0, len);
            for (int i = 0; i < len; i++) {
                int v = x[i];
                // all three negative exactly when v < 0, v != MIN_VALUE (v - 1 wraps to MAX_VALUE) and v <= bits(-inf)
                // (no wrap: the first factor already asks v < 0)
                x[i] = v & ~((v >> 31) & ((v - 1) >> 31) & ((v - NEGATIVE_INFINITY_BITS - 1) >> 31));
            }
            outs.put(from, x, 0, len);
        }
    }

    /**
     * {@code out[i] = in[i] > 0 ? dy[i] : 0} over three dense C-order float arrays of one length. On the bits: a float
     * is positive (and not NaN) exactly when its bits, read as an int, lie in (0, bits of +∞]; the mask of that test
     * keeps or clears the gradient's bits.
     */
    static void gradient(INDArray in, INDArray dy, INDArray out) {
        IntBuffer xs = ints(in);
        IntBuffer dys = ints(dy);
        IntBuffer outs = ints(out);
        int[][] scratch = SCRATCH.get();
        int[] x = scratch[0];
        int[] g = scratch[1];
        int n = (int) in.length();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            xs.get(from, x, 0, len);
            dys.get(from, g, 0, len);
            for (int i = 0; i < len; i++) {
                int v = x[i];
                // (-v & ~v) is negative exactly when v > 0; (v - bits(+inf) - 1) is negative when v <= bits(+inf)
                g[i] &= ((-v & ~v) >> 31) & ((v - POSITIVE_INFINITY_BITS - 1) >> 31);
            }
            outs.put(from, g, 0, len);
        }
    }

    private static boolean zeroOrUnset(Double d) {
        return d == null || d == 0.0;
    }
}
