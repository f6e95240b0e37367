package io.rankforge.search.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** EVBMF recovers the rank of low-rank-plus-noise matrices and estimates the noise variance. */
class EvbmfTest {

    /** Singular values (descending) of rows × cols: a rank-k product of Gaussian factors plus N(0, noise²). */
    static double[] lowRankPlusNoise(int rows, int cols, int k, double signal, double noise, long seed) {
        Random rnd = new Random(seed);
        double[][] a = new double[rows][k], b = new double[k][cols];
        for (double[] r : a) {
            for (int j = 0; j < k; j++) {
                r[j] = rnd.nextGaussian();
            }
        }
        for (double[] r : b) {
            for (int j = 0; j < cols; j++) {
                r[j] = rnd.nextGaussian();
            }
        }
        double[][] y = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    s += a[i][q] * b[q][j];
                }
                y[i][j] = signal * s + noise * rnd.nextGaussian();
            }
        }
        INDArray m = Nd4j.create(y).castTo(DataType.DOUBLE);
        INDArray sv = Nd4j.create(DataType.DOUBLE, Math.min(rows, cols));
        Nd4j.getBlasWrapper().lapack().gesvd(m.dup('f'), sv, null, null);
        double[] s = sv.toDoubleVector();
        java.util.Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    @Test
    void recoversTheTrueRank() {
        int[][] shapes = {{60, 120, 6}, {120, 60, 10}, {80, 80, 3}, {40, 200, 12}};
        for (int c = 0; c < shapes.length; c++) {
            int rows = shapes[c][0], cols = shapes[c][1], k = shapes[c][2];
            for (long seed = 1; seed <= 3; seed++) {
                double noise = 0.5 + seed * 0.5;
                double[] sv = lowRankPlusNoise(rows, cols, k, noise * 0.5, noise, seed * 31 + c);
                Evbmf.Estimate e = Evbmf.estimate(sv, rows, cols, 0);
                assertEquals(k, e.rank(), "rank of " + rows + "x" + cols + " rank-" + k + " seed " + seed + ": " + e);
                assertEquals(noise * noise, e.noiseVariance(), 0.15 * noise * noise, "noise variance " + e);
                assertTrue(sv[k - 1] > e.threshold() && sv[k] <= e.threshold());
            }
        }
    }

    @Test
    void pureNoiseHasRankZero() {
        double[] sv = lowRankPlusNoise(50, 100, 1, 0, 1.0, 5);
        Evbmf.Estimate e = Evbmf.estimate(sv, 50, 100, 0);
        assertEquals(0, e.rank(), e.toString());
        assertEquals(1.0, e.noiseVariance(), 0.15);
    }

    @Test
    void tauBarMatchesItsDefiningEquation() {
        for (double alpha : new double[] {0.05, 0.25, 0.5, 1.0}) {
            double t = Evbmf.tauBar(alpha);
            assertEquals(t, Math.log(t + 1) + alpha * Math.log(t / alpha + 1), 1e-9);
            // the paper's approximation 2.5129·√α is exact at α = 1 and within ~6% down to α = 0.05
            assertEquals(2.5129 * Math.sqrt(alpha), t, 0.06 * t, "close to the paper's approximation");
        }
        assertEquals(2.5129, Evbmf.tauBar(1.0), 1e-4);
    }
}
