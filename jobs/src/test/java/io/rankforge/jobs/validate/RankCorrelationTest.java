package io.rankforge.jobs.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {
    // a band's metric values (with a tie) and accuracies; expected values from SciPy 1.10
    // (spearmanr, kendalltau (tau-b), pearsonr)
    static final double[] X = {0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2, 0.6};
    static final double[] Y = {0.81, 0.80, 0.85, 0.79, 0.86, 0.90, 0.82, 0.84};

    @Test
    void matchesScipyWithTies() {
        assertEquals(0.8982196964349441, RankCorrelation.spearman(X, Y), 1e-12);
        assertEquals(0.7637626158259734, RankCorrelation.kendall(X, Y), 1e-12);
        assertEquals(0.9379675972664597, RankCorrelation.pearson(X, Y), 1e-12);
    }

    @Test
    void perfectAndReversedOrder() {
        double[] a = {1, 2, 3, 4, 5};
        double[] b = {10, 20, 25, 26, 100};
        double[] c = {5, 4, 3, 2, 1};
        assertEquals(1.0, RankCorrelation.spearman(a, b), 1e-12);
        assertEquals(1.0, RankCorrelation.kendall(a, b), 1e-12);
        assertEquals(-1.0, RankCorrelation.spearman(a, c), 1e-12);
        assertEquals(-1.0, RankCorrelation.kendall(a, c), 1e-12);
    }

    @Test
    void constantVariableIsUndefined() {
        double[] a = {1, 2, 3};
        double[] k = {7, 7, 7};
        assertTrue(Double.isNaN(RankCorrelation.spearman(a, k)));
        assertTrue(Double.isNaN(RankCorrelation.kendall(a, k)));
        assertTrue(Double.isNaN(RankCorrelation.pearson(new double[] {1}, new double[] {2})));
    }

    @Test
    void averageRanksShareTies() {
        double[] r = RankCorrelation.averageRanks(new double[] {3, 1, 3, 2});
        assertEquals(3.5, r[0]);
        assertEquals(1.0, r[1]);
        assertEquals(3.5, r[2]);
        assertEquals(2.0, r[3]);
    }

    @Test
    void bootstrapIsSeededAndCoversThePointEstimate() {
        var i1 = Bootstrap.interval(X, Y, RankCorrelation::spearman, 500, 0.95, 11);
        var i2 = Bootstrap.interval(X, Y, RankCorrelation::spearman, 500, 0.95, 11);
        var i3 = Bootstrap.interval(X, Y, RankCorrelation::spearman, 500, 0.95, 12);
        assertEquals(i1, i2);
        assertTrue(!i1.equals(i3), "another seed, other resamples");
        double rho = RankCorrelation.spearman(X, Y);
        assertTrue(i1.low() <= rho && rho <= i1.high(), i1 + " should contain " + rho);
        assertTrue(i1.low() >= -1 && i1.high() <= 1);
        assertTrue(i1.usedResamples() > 250);
    }

    @Test
    void regretOfTheMetricsPick() {
        double[] r = Regret.of(X, Y);
        assertEquals(0.90, r[0], 1e-12); // best accuracy
        assertEquals(0.90, r[1], 1e-12); // metric's top (0.9) is also the best
        assertEquals(0.0, r[2], 1e-12);
        double[] r2 = Regret.of(new double[] {3, 1, 2}, new double[] {0.7, 0.9, 0.8});
        assertEquals(0.2, r2[2], 1e-12);
    }
}
