package io.rankforge.runtime;

import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the loaded libnd4j build rounds the element-wise expressions {@link UpdaterKernel} reproduces. A compiler may
 * fuse {@code a * b + c} into one fused multiply-add (one rounding instead of two), and which product of {@code
 * beta * m + g * (1 - beta)} it fuses is its choice; the builds differ in this. So the variant is not assumed:
 * {@link #calibrated()} runs libnd4j's own {@code axpy} and Adam ops once on random values and keeps, for each
 * expression, the variant that gives every one of their elements bit for bit.
 *
 * @param axpyFused whether {@code alpha * x + y} is one fused multiply-add
 * @param momentForm the form of {@code beta1 * m + g * (1 - beta1)}: 0 two roundings, 1 {@code fma(beta1, m, g * (1
 *     - beta1))}, 2 {@code fma(g, 1 - beta1, beta1 * m)}
 * @param secondMomentForm the same for {@code beta2 * v + g * g * (1 - beta2)}, with {@code g * g} as the product's
 *     first factor
 */
record Arithmetic(boolean axpyFused, int momentForm, int secondMomentForm) {
    private static final Logger LOG = LoggerFactory.getLogger(Arithmetic.class);
    private static final int PROBE = 4099; // not a multiple of any vector width: the ops' tail loops are probed too

    private static volatile Optional<Arithmetic> calibrated;

    /** The variant the loaded build computes, found once per process; empty where no variant matched. */
    static Optional<Arithmetic> calibrated() {
        Optional<Arithmetic> c = calibrated;
        if (c == null) {
            synchronized (Arithmetic.class) {
                c = calibrated;
                if (c == null) {
                    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        c = probe();
                    }
                    if (c.isEmpty()) {
                        LOG.warn("libnd4j's Adam or axpy op rounds in a way RankForge's updater kernel does not"
                                + " reproduce; training keeps DL4J's updater");
                    }
                    calibrated = c;
                }
            }
        }
        return c;
    }

    /** {@code beta1^t} and {@code beta2^t} in float, through libnd4j's {@code pow} (the function its Adam calls). */
    static float[] powers(float beta1, float beta2, float t) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray b = Nd4j.createFromArray(beta1, beta2);
            return Transforms.pow(b, t, false).toFloatVector();
        }
    }

    /** {@code y = alpha * x + y} over the first {@code n} elements. */
    void axpy(float alpha, float[] x, float[] y, int n) {
        if (axpyFused) {
            for (int i = 0; i < n; i++) {
                y[i] = Math.fma(alpha, x[i], y[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[i] = alpha * x[i] + y[i];
            }
        }
    }

    /** One Adam step over the first {@code n} elements: moments into {@code m} and {@code v}, update into {@code g}. */
    void adam(UpdaterKernel.AdamStep s, float[] g, float[] m, float[] v, int n) {
        float b1 = s.beta1();
        float b2 = s.beta2();
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        float epsT = s.epsilonT();
        float eps = s.epsilon();
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            float mi = combine(momentForm, b1, m[i], gi, c1);
            float vi = combine(secondMomentForm, b2, v[i], gi * gi, c2);
            m[i] = mi;
            v[i] = vi;
            g[i] = (mi * epsT) / ((float) Math.sqrt(vi) + eps);
        }
    }

    /** {@code beta * state + x * c} in the given form. */
    private static float combine(int form, float beta, float state, float x, float c) {
        return switch (form) {
            case 1 -> Math.fma(beta, state, x * c);
            case 2 -> Math.fma(x, c, beta * state);
            default -> beta * state + x * c;
        };
    }

    private static Optional<Arithmetic> probe() {
        Random r = new Random(20261204L);
        float[] x = new float[PROBE];
        float[] y = new float[PROBE];
        float[] g = new float[PROBE];
        float[] m = new float[PROBE];
        float[] v = new float[PROBE];
        for (int i = 0; i < PROBE; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian();
            g[i] = (float) (r.nextGaussian() * 0.05);
            m[i] = (float) (r.nextGaussian() * 0.01);
            v[i] = (float) (Math.abs(r.nextGaussian()) * 1e-4);
        }
        float alpha = 3.7e-4f;
        INDArray yz = Nd4j.createFromArray(y.clone());
        Nd4j.exec(new Axpy(Nd4j.createFromArray(x), yz, yz, alpha));
        float[] axpyExpected = yz.toFloatVector();
        Boolean axpyFused = null;
        for (boolean fused : new boolean[] {false, true}) {
            float[] out = y.clone();
            new Arithmetic(fused, 0, 0).axpy(alpha, x, out, PROBE);
            if (Arrays.equals(out, axpyExpected)) {
                axpyFused = fused;
                break;
            }
        }
        double lr = 2.5e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        int iteration = 6;
        INDArray gz = Nd4j.createFromArray(g.clone());
        INDArray vz = Nd4j.createFromArray(v.clone());
        INDArray mz = Nd4j.createFromArray(m.clone());
        Nd4j.exec(new AdamUpdater(gz, vz, mz, lr, beta1, beta2, eps, iteration));
        float[] uExpected = gz.toFloatVector();
        float[] mExpected = mz.toFloatVector();
        float[] vExpected = vz.toFloatVector();
        org.nd4j.linalg.learning.config.Adam config = new org.nd4j.linalg.learning.config.Adam(lr, beta1, beta2, eps);
        UpdaterKernel.AdamStep step = UpdaterKernel.AdamStep.of(config, iteration, 0, null);
        for (int mf = 0; mf < 3; mf++) {
            for (int vf = 0; vf < 3; vf++) {
                Arithmetic a = new Arithmetic(axpyFused != null && axpyFused, mf, vf);
                float[] gu = g.clone();
                float[] mu = m.clone();
                float[] vu = v.clone();
                a.adam(step, gu, mu, vu, PROBE);
                if (axpyFused != null
                        && Arrays.equals(mu, mExpected)
                        && Arrays.equals(vu, vExpected)
                        && Arrays.equals(gu, uExpected)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
