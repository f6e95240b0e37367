package io.rankforge.runtime;

import static io.rankforge.runtime.NativeArrays.contiguous;
import static io.rankforge.runtime.NativeArrays.floats;

import java.nio.FloatBuffer;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation's training-mode forward and backward pass for NCHW float activations, each reading its inputs
 * from memory once and writing its output once (docs/native.md, "Batch-norm kernel").
 *
 * <p>Why: DL4J 1.0.0-M2.1's oneDNN batch-norm helper computes the batch statistics with two separate ND4J
 * reductions over the non-contiguous axes (0, 2, 3) before calling libnd4j's {@code batchnorm} op, and its
 * backward pass is libnd4j's generic {@code batchnorm_bp}. On the zoo's activations those took as long as the
 * convolutions (about 40% of vgg-mini's training time, benchmarks/results/training-profile-vgg-mini-dl4j-bn.csv).
 * This kernel reads each channel's planes in place and accumulates in double.
 *
 * <p>Inference (running statistics) of NCHW float activations, when DL4J's helper is oneDNN's, is computed here too,
 * with oneDNN's own arithmetic ({@code scale = gamma / sqrt(var + eps)}, {@code y = scale * (x - mean) + beta}, in
 * float, no fused multiply-add), which gives oneDNN's output bit for bit (ExactSpeedupsTest) at several times the
 * speed of its reference implementation for this layout: an exact speed-up, switched with the others.
 *
 * <p>Everything else (NHWC, dense batch norm, other data types, fixed gamma and beta, inference on the plain build)
 * goes to the helper DL4J chose, unchanged. The contract is that of DL4J's helpers: {@link #getMeanCache} and
 * {@link #getVarCache} hold the last training batch's mean and biased variance, from which the layer updates its
 * running statistics.
 */
final class BatchNormKernel implements BatchNormalizationHelper {
    private final BatchNormalizationHelper fallback; // DL4J's own helper, or null (DL4J's Java path)
    private final boolean trains; // the fused training pass (RANKFORGE_BN_KERNEL=fused)
    private final boolean infers; // the exact inference pass (exact speed-ups on, oneDNN's helper replaced)
    private boolean lastPassDelegated;
    private INDArray meanCache;
    private INDArray varCache;
    private double[] mean = new double[0];
    private double[] invStd = new double[0];

    /**
     * @param trains whether the training pass is this kernel's (else DL4J's helper's)
     * @param infersExactly whether inference may be this kernel's: it is only where {@code fallback} is oneDNN's
     *     helper, whose arithmetic it reproduces
     */
    BatchNormKernel(BatchNormalizationHelper fallback, boolean trains, boolean infersExactly) {
        this.fallback = fallback;
        this.trains = trains;
        this.infers = infersExactly && isOneDnn(fallback);
    }

    /** Whether {@code helper} is DL4J's oneDNN batch-norm helper (the arithmetic {@link #infer} reproduces). */
    static boolean isOneDnn(BatchNormalizationHelper helper) {
        return helper != null && helper.getClass().getName().equals(ONEDNN_HELPER);
    }

    private static final String ONEDNN_HELPER = "org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper";

    boolean trains() {
        return trains;
    }

    boolean infers() {
        return infers;
    }

    BatchNormalizationHelper fallback() {
        return fallback;
    }

    /** Whether this kernel computes the training pass of {@code x} itself (otherwise the fallback does). */
    static boolean handles(INDArray x, CNN2DFormat format, INDArray gamma, INDArray beta) {
        return x.rank() == 4
                && x.dataType() == DataType.FLOAT
                && format == CNN2DFormat.NCHW
                && gamma != null
                && beta != null
                && x.length() <= Integer.MAX_VALUE;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return true;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return lastPassDelegated ? fallback.getMeanCache(dataType) : meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return lastPassDelegated ? fallback.getVarCache(dataType) : varCache;
    }

    @Override
    public INDArray preOutput(
            INDArray x,
            boolean training,
            long[] shape,
            INDArray gamma,
            INDArray beta,
            INDArray globalMean,
            INDArray globalVar,
            double decay,
            double eps,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (!training && infers && handles(x, format, gamma, beta) && allFloat(gamma, beta, globalMean, globalVar)) {
            return infer(x, gamma, beta, globalMean, globalVar, eps, workspaceMgr);
        }
        if (!training || !trains || !handles(x, format, gamma, beta)) {
            if (training) {
                lastPassDelegated = true;
            }
            return fallback == null
                    ? null
                    : fallback.preOutput(
                            x, training, shape, gamma, beta, globalMean, globalVar, decay, eps, format, workspaceMgr);
        }
        lastPassDelegated = false;
        INDArray in = contiguous(x);
        int n = (int) in.size(0);
        int c = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        prepare(c);
        float[] buf = Scratch.get().buffer(0, n * hw);
        FloatBuffer xs = floats(in);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape());
        FloatBuffer os = floats(out);
        float[] m = new float[c];
        float[] v = new float[c];
        // element access through INDArray costs about a microsecond a call: read the parameters once
        float[] gammas = gamma.toFloatVector();
        float[] betas = beta.toFloatVector();
        for (int ch = 0; ch < c; ch++) {
            // one channel at a time: its planes are read once into a buffer that stays in cache for both the
            // statistics and the normalisation (the pass is bound by memory traffic, not arithmetic)
            load(xs, buf, n, c, hw, ch);
            double variance = statistics(buf, n, hw, ch);
            invStd[ch] = 1.0 / Math.sqrt(variance + eps);
            // y = gamma * (x - mean) / std + beta = a * x + b
            double a = gammas[ch] * invStd[ch];
            float scale = (float) a;
            float shift = (float) (betas[ch] - mean[ch] * a);
            int len = n * hw;
            for (int i = 0; i < len; i++) {
                buf[i] = buf[i] * scale + shift;
            }
            store(os, buf, n, c, hw, ch);
            m[ch] = (float) mean[ch];
            v[ch] = (float) variance;
        }
        floats(meanCache).put(0, m);
        floats(varCache).put(0, v);
        return out;
    }

    /**
     * Inference with the running statistics, in oneDNN's arithmetic: per channel {@code scale = gamma / sqrt(var +
     * eps)} in float (Java's float square root via double is correctly rounded, as is C's {@code sqrtf}), then
     * {@code y = scale * (x - mean) + beta} element by element, rounding after every operation as oneDNN's loop does.
     */
    private static INDArray infer(
            INDArray x,
            INDArray gamma,
            INDArray beta,
            INDArray globalMean,
            INDArray globalVar,
            double eps,
            LayerWorkspaceMgr workspaceMgr) {
        INDArray in = contiguous(x);
        int n = (int) in.size(0);
        int c = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        float[] gammas = gamma.toFloatVector();
        float[] betas = beta.toFloatVector();
        float[] means = globalMean.toFloatVector();
        float[] vars = globalVar.toFloatVector();
        if (gammas.length != c || betas.length != c || means.length != c || vars.length != c) {
            throw new IllegalStateException("batch-norm inference on " + c + " channels with parameters of length "
                    + gammas.length + ", " + betas.length + ", " + means.length + ", " + vars.length);
        }
        float e = (float) eps;
        float[] scales = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scales[ch] = gammas[ch] / (float) Math.sqrt(vars[ch] + e);
        }
        FloatBuffer xs = floats(in);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape());
        FloatBuffer os = floats(out);
        float[] buf = Scratch.get().buffer(0, hw);
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int from = (s * c + ch) * hw;
                xs.get(from, buf, 0, hw);
                float scale = scales[ch];
                float mu = means[ch];
                float shift = betas[ch];
                for (int i = 0; i < hw; i++) {
                    buf[i] = scale * (buf[i] - mu) + shift;
                }
                os.put(from, buf, 0, hw);
            }
        }
        return out;
    }

    private static boolean allFloat(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a == null || a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return true;
    }

    /**
     * Mean (into {@code mean[ch]}) and biased variance (returned) of channel {@code ch} from its planes in
     * {@code buf}: per plane, then merged.
     */
    private double statistics(float[] buf, int n, int hw, int ch) {
        double count = 0;
        double m = 0;
        double m2 = 0;
        for (int s = 0; s < n; s++) {
            int from = s * hw;
            double pm = sum(buf, from, hw) / hw;
            double pm2 = sumOfSquaredDeviations(buf, from, hw, pm);
            // Chan et al.'s pairwise merge of (count, mean, M2): exact in exact arithmetic, stable in floating point
            double total = count + hw;
            double delta = pm - m;
            m += delta * hw / total;
            m2 += pm2 + delta * delta * count * hw / total;
            count = total;
        }
        mean[ch] = m;
        return m2 / count;
    }

    /** Copies channel {@code ch}'s {@code n} planes of an NCHW array into {@code buf}, one after another. */
    private static void load(FloatBuffer from, float[] buf, int n, int c, int hw, int ch) {
        for (int s = 0; s < n; s++) {
            from.get((s * c + ch) * hw, buf, s * hw, hw);
        }
    }

    /** The inverse of {@link #load}. */
    private static void store(FloatBuffer to, float[] buf, int n, int c, int hw, int ch) {
        for (int s = 0; s < n; s++) {
            to.put((s * c + ch) * hw, buf, s * hw, hw);
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray input,
            INDArray epsilon,
            long[] shape,
            INDArray gamma,
            INDArray beta,
            INDArray dGammaView,
            INDArray dBetaView,
            double eps,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (lastPassDelegated || meanCache == null || !handles(input, format, gamma, beta) || dGammaView == null) {
            return fallback == null
                    ? null
                    : fallback.backpropGradient(
                            input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format, workspaceMgr);
        }
        INDArray in = contiguous(input);
        INDArray dy = contiguous(epsilon.dataType() == DataType.FLOAT ? epsilon : epsilon.castTo(DataType.FLOAT));
        int n = (int) in.size(0);
        int c = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        if (c != mean.length) {
            throw new IllegalStateException(
                    "batch-norm backward pass on " + c + " channels after a forward pass on " + mean.length);
        }
        FloatBuffer xs = floats(in);
        FloatBuffer dys = floats(dy);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, in.shape());
        FloatBuffer dxs = floats(dx);
        Scratch scratch = Scratch.get();
        float[] xb = scratch.buffer(0, n * hw);
        float[] dyb = scratch.buffer(1, n * hw);
        int len = n * hw;
        double count = len;
        float[] gammas = gamma.toFloatVector();
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        for (int ch = 0; ch < c; ch++) {
            load(xs, xb, n, c, hw, ch);
            load(dys, dyb, n, c, hw, ch);
            float mu = (float) mean[ch];
            double sumDy = sum(dyb, 0, len);
            double sumDyXc = sumOfProductsWithDeviations(dyb, xb, 0, len, mu); // sum of dy * (x - mean)
            double inv = invStd[ch];
            double sumDyXhat = sumDyXc * inv;
            dBeta[ch] = (float) sumDy;
            dGamma[ch] = (float) sumDyXhat;
            // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), xhat = (x - mean) * invStd
            double g = gammas[ch] * inv;
            float k = (float) g;
            float shift = (float) (g * sumDy / count);
            float slope = (float) (g * sumDyXhat * inv / count);
            for (int i = 0; i < len; i++) {
                xb[i] = k * dyb[i] - shift - slope * (xb[i] - mu);
            }
            store(dxs, xb, n, c, hw, ch);
        }
        dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(g, dx);
    }

    // The reductions below keep four independent accumulators: one double sum is a chain of dependent additions,
    // bound by the adder's latency (about 4 cycles an element); four chains overlap.

    private static double sum(float[] v, int from, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int n = from + len;
        for (; i + 3 < n; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < n; i++) {
            s0 += v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumOfSquaredDeviations(float[] v, int from, int len, double mean) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int n = from + len;
        for (; i + 3 < n; i += 4) {
            double d0 = v[i] - mean;
            double d1 = v[i + 1] - mean;
            double d2 = v[i + 2] - mean;
            double d3 = v[i + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            double d = v[i] - mean;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The sum of {@code w[i] * (v[i] - mean)}. */
    private static double sumOfProductsWithDeviations(float[] w, float[] v, int from, int len, float mean) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int n = from + len;
        for (; i + 3 < n; i += 4) {
            s0 += w[i] * (v[i] - mean);
            s1 += w[i + 1] * (v[i + 1] - mean);
            s2 += w[i + 2] * (v[i + 2] - mean);
            s3 += w[i + 3] * (v[i + 3] - mean);
        }
        for (; i < n; i++) {
            s0 += w[i] * (v[i] - mean);
        }
        return (s0 + s1) + (s2 + s3);
    }

    private void prepare(int c) {
        if (meanCache == null || meanCache.length() != c) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                meanCache = Nd4j.create(DataType.FLOAT, c);
                varCache = Nd4j.create(DataType.FLOAT, c);
            }
            mean = new double[c];
            invStd = new double[c];
        }
    }

    /** Per-thread channel buffers, shared by every kernel the thread runs (one network trains on one thread). */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);
        private final float[][] buffers = {new float[0], new float[0]};

        static Scratch get() {
            return PER_THREAD.get();
        }

        /** Buffer {@code slot} (0 or 1), grown to at least {@code length} floats. */
        float[] buffer(int slot, int length) {
            if (buffers[slot].length < length) {
                buffers[slot] = new float[length];
            }
            return buffers[slot];
        }
    }
}
