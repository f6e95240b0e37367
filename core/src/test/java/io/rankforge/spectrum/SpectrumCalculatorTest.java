package io.rankforge.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.model.LayerSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SpectrumCalculatorTest {

    /** A random m×m orthogonal matrix: Gram–Schmidt on Gaussian columns, written out here (no library QR). */
    static double[][] orthogonal(int m, Random rnd) {
        double[][] q = new double[m][m]; // q[col][row]
        for (int j = 0; j < m; j++) {
            double[] v = new double[m];
            for (int i = 0; i < m; i++) {
                v[i] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += v[i] * q[k][i];
                    }
                    for (int i = 0; i < m; i++) {
                        v[i] -= dot * q[k][i];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[j][i] = v[i] / norm;
            }
        }
        return q;
    }

    /** rows×cols matrix P·diag(s)·Qᵀ with random orthogonal P, Q. */
    static INDArray withSingularValues(int rows, int cols, double[] s, long seed) {
        Random rnd = new Random(seed);
        double[][] p = orthogonal(rows, rnd), q = orthogonal(cols, rnd);
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = 0;
                for (int k = 0; k < s.length; k++) {
                    v += p[k][i] * s[k] * q[k][j];
                }
                a[i][j] = v;
            }
        }
        return Nd4j.createFromArray(a);
    }

    static double[] knownValues(int k) {
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = 10.0 * Math.pow(0.8, i) + 0.01; // descending, spread over 3 decades
        }
        return s;
    }

    @Test
    void singularValuesOfMatricesWithKnownSpectraComeBackTo1e5() {
        int[][] shapes = {{30, 30}, {50, 20}, {20, 50}, {200, 10}, {10, 200}, {1, 7}, {9, 1}};
        for (int[] sh : shapes) {
            double[] s = knownValues(Math.min(sh[0], sh[1]));
            INDArray m = withSingularValues(sh[0], sh[1], s, sh[0] * 31L + sh[1]);
            INDArray before = m.dup();
            for (LayerSpectrum spec : new LayerSpectrum[] {
                SpectrumCalculator.values("m", Scheme.DENSE, m), SpectrumCalculator.withVectors("m", Scheme.DENSE, m)
            }) {
                assertEquals(s.length, spec.size());
                for (int i = 0; i < s.length; i++) {
                    assertEquals(
                            s[i], spec.singularValue(i), 1e-5 * s[i], "shape " + sh[0] + "x" + sh[1] + " value " + i);
                }
            }
            assertEquals(before, m, "input not modified");
        }
    }

    @Test
    void singularVectorsAreOrthonormalAndReconstructTheMatrix() {
        int[][] shapes = {{40, 40}, {60, 25}, {25, 60}, {300, 12}, {12, 300}};
        for (int[] sh : shapes) {
            INDArray m = withSingularValues(sh[0], sh[1], knownValues(Math.min(sh[0], sh[1])), 5 + sh[0]);
            LayerSpectrum s = SpectrumCalculator.withVectors("m", Scheme.DENSE, m);
            int k = s.size();
            assertTrue(s.hasVectors());
            assertEquals(sh[0], s.u().rows());
            assertEquals(sh[1], s.vt().columns());
            INDArray eye = Nd4j.eye(k).castTo(DataType.DOUBLE);
            assertTrue(s.u().transpose().mmul(s.u()).equalsWithEps(eye, 1e-10), "UᵀU = I for " + sh[0] + "x" + sh[1]);
            assertTrue(s.vt().mmul(s.vt().transpose()).equalsWithEps(eye, 1e-10), "VᵀV = I for " + sh[0] + "x" + sh[1]);
            INDArray rebuilt =
                    s.u().mulRowVector(Nd4j.createFromArray(s.singularValues())).mmul(s.vt());
            assertTrue(rebuilt.equalsWithEps(m, 1e-10), "U·Σ·Vᵀ = M for " + sh[0] + "x" + sh[1]);
        }
    }

    @Test
    void truncationErrorIsTheNormOfTheDroppedValues() {
        LayerSpectrum s = LayerSpectrum.ofValues("x", Scheme.DENSE, new double[] {4, 3, 2, 1});
        assertEquals(Math.sqrt(4 + 1), s.truncationError(2), 1e-12);
        assertEquals(0, s.truncationError(4), 0);
        assertThrows(
                IllegalArgumentException.class, () -> LayerSpectrum.ofValues("x", Scheme.DENSE, new double[] {1, 2}));
    }

    @Test
    void reshapesFollowMethodTableAndDl4jLayouts() {
        int n = 3, c = 2, kh = 3, kw = 2;
        // conv weight [N, C, kH, kW] with W[o, i, y, x] = 1000·o + 100·i + 10·y + x
        INDArray w = Nd4j.create(DataType.FLOAT, n, c, kh, kw);
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < c; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        w.putScalar(new int[] {o, i, y, x}, 1000 * o + 100 * i + 10 * y + x);
                    }
                }
            }
        }
        LayerSpec conv = LayerSpec.convolution("conv", c, n, kh, kw, 1, 1, 1, 1, 8, 8, 8, 7, true);
        INDArray spatial = SpectrumCalculator.matrix(conv, Scheme.SPATIAL, w);
        assertEquals(c * kh, spatial.rows());
        assertEquals(kw * n, spatial.columns());
        INDArray channel = SpectrumCalculator.matrix(conv, Scheme.CHANNEL, w);
        assertEquals(n, channel.rows());
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < c; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        double v = 1000 * o + 100 * i + 10 * y + x;
                        assertEquals(v, spatial.getDouble(i * kh + y, x * n + o), 0, "spatial row (c,i), column (j,n)");
                        assertEquals(
                                v, channel.getDouble(o, (i * kh + y) * kw + x), 0, "channel row n, column (c,i,j)");
                    }
                }
            }
        }
        // dense weight [C, N]: the decomposed matrix is N × C
        INDArray d = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray m = SpectrumCalculator.matrix(LayerSpec.dense("fc", 2, 3, true), Scheme.DENSE, d);
        assertEquals(3, m.rows());
        assertEquals(6.0, m.getDouble(2, 1), 0);
        assertThrows(IllegalArgumentException.class, () -> SpectrumCalculator.matrix(conv, Scheme.DENSE, w));
        assertFalse(SpectrumCalculator.values("fc", Scheme.DENSE, m).hasVectors());
    }
}
