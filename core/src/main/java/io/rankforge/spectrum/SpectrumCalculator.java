package io.rankforge.spectrum;

import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkLayers;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reshapes a layer's weights into the matrix its scheme decomposes (docs/method.md §1) and computes its SVD
 * with LAPACK gesvd through ND4J (never ND4J's Svd op, which is broken in 1.0.0-M2.1), in float64.
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
    private static final double QR_ASPECT = 2.0;

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
        INDArray a = matrix.castTo(DataType.DOUBLE).dup('f');
        long k = Math.min(a.rows(), a.columns());
        INDArray s = Nd4j.create(DataType.DOUBLE, k);
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, null);
        return LayerSpectrum.ofValues(layer, scheme, s.toDoubleVector());
    }

    /** Singular values and thin U (rows × k), Vᵀ (k × cols) of {@code matrix} (not modified). */
    public static LayerSpectrum withVectors(String layer, Scheme scheme, INDArray matrix) {
        requireMatrix(matrix);
        INDArray a = matrix.castTo(DataType.DOUBLE);
        if (a.rows() < a.columns()) {
            // A = U S Vt  <=>  At = V S Ut: decompose the tall transpose and swap the sides back
            Thin t = thinTall(a.transpose());
            return new LayerSpectrum(
                    layer,
                    scheme,
                    t.s,
                    t.vt.transpose().dup('c'),
                    t.u.transpose().dup('c'));
        }
        Thin t = thinTall(a);
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

    /** Thin SVD of a matrix with rows >= columns. */
    private static Thin thinTall(INDArray a) {
        long m = a.rows(), n = a.columns();
        if (m > QR_ASPECT * n) {
            // A = Q R (Q m×n orthonormal columns, R n×n); R = Ur S Vt  =>  A = (Q Ur) S Vt
            INDArray q = a.dup('f');
            INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
            Nd4j.getBlasWrapper().lapack().geqrf(q, r);
            Thin small = fullSquareOrTall(r);
            return new Thin(small.s, q.mmul(small.u).dup('c'), small.vt);
        }
        return fullSquareOrTall(a);
    }

    /** gesvd with full U (m×m) and Vt (n×n), then the thin parts; m >= n and m not much larger than n. */
    private static Thin fullSquareOrTall(INDArray a) {
        long m = a.rows(), n = a.columns();
        INDArray f = a.dup('f');
        INDArray s = Nd4j.create(DataType.DOUBLE, n);
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'f');
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(f, s, u, vt);
        INDArray thinU = m == n
                ? u.dup('c')
                : u.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).dup('c');
        return new Thin(s.toDoubleVector(), thinU, vt.dup('c'));
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
