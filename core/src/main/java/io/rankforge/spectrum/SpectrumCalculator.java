package io.rankforge.spectrum;

import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkLayers;
import io.rankforge.runtime.BlasThreads;
import java.util.Arrays;
import org.bytedeco.openblas.global.openblas;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reshapes a layer's weights into the matrix its scheme decomposes (docs/method.md §1) and computes its SVD
 * with LAPACK's dgesdd from the OpenBLAS ND4J loads (never ND4J's Svd op, which is broken in 1.0.0-M2.1), in
 * float64.
 *
 * <p>DL4J layouts: convolution weights are [N, C, kH, kW] (out, in, rows, columns); dense weights are
 * [C, N] (in, out). The matrices:
 * <ul>
 *   <li>spatial: (C·kH) × (kW·N), entry ((c, i), (j, n)) = W[n, c, i, j];</li>
 *   <li>channel: N × (C·kH·kW), entry (n, (c, i, j)) = W[n, c, i, j];</li>
 *   <li>dense: N × C (the transpose of DL4J's dense matrix; for a 1×1 convolution W[n, c, 0, 0]).</li>
 * </ul>
 */
public final class SpectrumCalculator {
    /** Above this aspect ratio the thin SVD goes through a QR factorisation first (full U or Vᵀ would be huge). */
    private SpectrumCalculator() {}

    /** The matrix that {@code scheme} decomposes, float64, built from the layer's DL4J weight tensor. */
    public static INDArray matrix(LayerSpec spec, Scheme scheme, INDArray weights) {
        INDArray w = weights.castTo(DataType.DOUBLE);
        long n = spec.outChannels(), c = spec.inChannels(), kh = spec.kernelH(), kw = spec.kernelW();
        if (spec.kind() == LayerKind.DENSE) {
            requireShape(spec, weights, c, n);
            if (scheme != Scheme.DENSE) {
                throw new IllegalArgumentException("dense layer " + spec.name() + " can only use the dense scheme");
            }
            return w.transpose().dup('c');
        }
        requireShape(spec, weights, n, c, kh, kw);
        return switch (scheme) {
            case CHANNEL -> w.dup('c').reshape('c', n, c * kh * kw);
            case DENSE -> {
                if (!spec.isPointwise()) {
                    throw new IllegalArgumentException("the dense scheme applies to 1x1 convolutions only; layer "
                            + spec.name() + " has a " + kh + "x" + kw + " kernel");
                }
                yield w.dup('c').reshape('c', n, c);
            }
            case SPATIAL -> w.permute(1, 2, 3, 0).dup('c').reshape('c', c * kh, kw * n);
        };
    }

    /** Singular values of the layer's matrix (no vectors: the cheap path for profiles). */
    public static LayerSpectrum values(Model model, LayerSpec spec, Scheme scheme) {
        return values(spec.name(), scheme, matrix(spec, scheme, weightsOf(model, spec.name())));
    }

    /** Singular values and thin singular vectors of the layer's matrix. */
    public static LayerSpectrum withVectors(Model model, LayerSpec spec, Scheme scheme) {
        return withVectors(spec.name(), scheme, matrix(spec, scheme, weightsOf(model, spec.name())));
    }

    /** Singular values of {@code matrix} (any 2-D array; it is not modified). */
    public static LayerSpectrum values(String layer, Scheme scheme, INDArray matrix) {
        requireMatrix(matrix);
        return LayerSpectrum.ofValues(layer, scheme, gesdd(matrix, false).s);
    }

    /** Singular values and thin U (rows × k), Vᵀ (k × cols) of {@code matrix} (not modified). */
    public static LayerSpectrum withVectors(String layer, Scheme scheme, INDArray matrix) {
        requireMatrix(matrix);
        Thin t = gesdd(matrix, true);
        return new LayerSpectrum(layer, scheme, t.s, t.u, t.vt);
    }

    /** The "W" parameter of layer {@code name} in DL4J's layout. */
    public static INDArray weightsOf(Model model, String name) {
        INDArray w = NetworkLayers.runtimeLayer(model, name).getParam("W");
        if (w == null) {
            throw new IllegalArgumentException("layer " + name + " has no weight parameter W");
        }
        return w;
    }

    private record Thin(double[] s, INDArray u, INDArray vt) {}

    /**
     * LAPACK's divide-and-conquer SVD (dgesdd, from the OpenBLAS that ND4J loads), row-major, float64: thin U and Vᵀ
     * when {@code vectors}, singular values only otherwise. ND4J's own wrapper offers only gesvd, whose QR iteration
     * is ~25× slower with vectors on a 768×768 matrix (benchmarks/RESULTS.md, SVD).
     */
    private static Thin gesdd(INDArray matrix, boolean vectors) {
        long rows = matrix.rows(), cols = matrix.columns();
        if (rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matrix of " + rows + "x" + cols + " is too large for one SVD");
        }
        int m = (int) rows, n = (int) cols, k = Math.min(m, n);
        double[] a = matrix.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] s = new double[k];
        double[] u = new double[vectors ? m * k : 1];
        double[] vt = new double[vectors ? k * n : 1];
        int info;
        // OpenBLAS at its full thread count for the SVD (networks run it on one thread: BlasThreads)
        try (BlasThreads.Scope ignored = BlasThreads.forLinearAlgebra()) {
            info = openblas.LAPACKE_dgesdd(
                    openblas.LAPACK_ROW_MAJOR,
                    (byte) (vectors ? 'S' : 'N'),
                    m,
                    n,
                    a,
                    n,
                    s,
                    u,
                    k, // LAPACKE checks the leading dimensions even when it writes no vectors
                    vt,
                    n);
        }
        if (info != 0) {
            throw new ArithmeticException("LAPACK dgesdd failed on a " + m + "x" + n + " matrix (info " + info + ")"
                    + (info > 0 ? ": it did not converge (NaN or infinite weights?)" : ""));
        }
        if (!vectors) {
            return new Thin(s, null, null);
        }
        return new Thin(s, Nd4j.create(u, new long[] {m, k}, 'c'), Nd4j.create(vt, new long[] {k, n}, 'c'));
    }

    private static void requireMatrix(INDArray m) {
        if (m.rank() != 2 || m.rows() < 1 || m.columns() < 1) {
            throw new IllegalArgumentException("expected a non-empty matrix, got shape " + Arrays.toString(m.shape()));
        }
    }

    private static void requireShape(LayerSpec spec, INDArray w, long... expected) {
        if (!Arrays.equals(w.shape(), expected)) {
            throw new IllegalArgumentException("weights of layer " + spec.name() + " have shape "
                    + Arrays.toString(w.shape()) + ", expected " + Arrays.toString(expected));
        }
    }
}
