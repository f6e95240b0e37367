package io.rankforge.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankAgreementTest {
    private static final double EPS = 1e-12;

    @Test
    void perfectAndReversedOrders() {
        double[] x = {1, 2, 3, 4};
        double[] up = {10, 20, 30, 45};
        double[] down = {45, 30, 20, 10};
        assertEquals(1, RankAgreement.spearman(x, up), EPS);
        assertEquals(-1, RankAgreement.spearman(x, down), EPS);
        assertEquals(1, RankAgreement.kendallTauB(x, up), EPS);
        assertEquals(-1, RankAgreement.kendallTauB(x, down), EPS);
        assertEquals(1, RankAgreement.concordance(x, up), EPS);
        assertEquals(0, RankAgreement.concordance(x, down), EPS);
        assertEquals(0, RankAgreement.regret(x, up), EPS);
        assertEquals(35, RankAgreement.regret(x, down), EPS);
    }

    @Test
    void tiesInX() {
        // ranks of x: 1, 2.5, 2.5, 4; of y: 1..4 → ρ = 4.5 / √(4.5 · 5) = 3/√10
        double[] x = {1, 2, 2, 3};
        double[] y = {1, 2, 3, 4};
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, RankAgreement.averageRanks(x), EPS);
        assertEquals(3 / Math.sqrt(10), RankAgreement.spearman(x, y), EPS);
        // 5 concordant pairs, 1 tied in x only: τ-b = 5 / √(6 · 5)
        assertEquals(5 / Math.sqrt(30), RankAgreement.kendallTauB(x, y), EPS);
        // the tie counts one half: (5 + 0.5) / 6
        assertEquals(5.5 / 6, RankAgreement.concordance(x, y), EPS);
    }

    @Test
    void tiesInYLeaveTheirPairsOutOfConcordance() {
        double[] x = {1, 2, 3};
        double[] y = {5, 5, 6};
        assertEquals(1, RankAgreement.concordance(x, y), EPS);
        // (0,1) tied in y only, the other two concordant: 2 / √(2 · 3)
        assertEquals(2 / Math.sqrt(6), RankAgreement.kendallTauB(x, y), EPS);
        // −0.0 and 0.0 are one value, as == has it
        assertEquals(1, RankAgreement.concordance(new double[] {1, 2, 3}, new double[] {-0.0, 0.0, 1}), EPS);
    }

    @Test
    void mixedOrder() {
        double[] x = {3, 1, 2};
        double[] y = {1, 2, 3};
        // rank differences 2, −1, −1: ρ = 1 − 6·6 / (3·8)
        assertEquals(-0.5, RankAgreement.spearman(x, y), EPS);
        assertEquals(-1.0 / 3, RankAgreement.kendallTauB(x, y), EPS);
        assertEquals(1.0 / 3, RankAgreement.concordance(x, y), EPS);
        assertEquals(2, RankAgreement.regret(x, y), EPS);
    }

    @Test
    void topKPrecision() {
        double[] x = {0.9, 0.8, 0.1, 0.7, 0.2};
        double[] y = {1, 5, 4, 3, 2};
        // k = 2: top by x {0, 1}, by y {1, 2}
        assertEquals(0.5, RankAgreement.topKPrecision(x, y, 0.4), EPS);
        // ⌈0.3·5⌉ = 2 as well
        assertEquals(0.5, RankAgreement.topKPrecision(x, y, 0.3), EPS);
        // k = max(1, ⌈0.5⌉) = 1: x picks 0, y's best is 1
        assertEquals(0, RankAgreement.topKPrecision(x, y, 0.1), EPS);
        assertEquals(1, RankAgreement.topKPrecision(x, y, 1.0), EPS);
    }

    @Test
    void topKTiesGoToTheLowerIndex() {
        double[] x = {1, 1, 1, 0};
        double[] y = {0, 3, 3, 3};
        // k = 1: x's top is 0 (first of the tie), y's is 1
        assertEquals(0, RankAgreement.topKPrecision(x, y, 0.25), EPS);
        // k = 2: x {0, 1}, y {1, 2}
        assertEquals(0.5, RankAgreement.topKPrecision(x, y, 0.5), EPS);
    }

    @Test
    void topKIsNotInflatedByRounding() {
        // 0.07·100 = 7.000000000000001 in doubles; k must be 7, not 8
        int n = 100;
        double[] y = new double[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i;
            x[i] = i;
        }
        // top 7 by y: 93..99; x demotes 93, so its top 7 is 92, 94..99
        x[93] = -1;
        assertEquals(6.0 / 7, RankAgreement.topKPrecision(x, y, 0.07), EPS);
    }

    @Test
    void regretTiesGoToTheLowerIndex() {
        double[] x = {0.5, 0.9, 0.9, 0.1};
        double[] y = {0.7, 0.6, 0.8, 0.9};
        assertEquals(0.9 - 0.6, RankAgreement.regret(x, y), EPS);
        assertEquals(0, RankAgreement.regret(new double[] {4}, new double[] {2}), EPS);
    }

    @Test
    void undefinedCasesAreNaN() {
        double[] one = {1};
        assertTrue(Double.isNaN(RankAgreement.spearman(one, one)));
        assertTrue(Double.isNaN(RankAgreement.kendallTauB(one, one)));
        assertTrue(Double.isNaN(RankAgreement.concordance(one, one)));
        double[] constant = {2, 2, 2};
        double[] varying = {1, 2, 3};
        assertTrue(Double.isNaN(RankAgreement.spearman(constant, varying)));
        assertTrue(Double.isNaN(RankAgreement.spearman(varying, constant)));
        assertTrue(Double.isNaN(RankAgreement.kendallTauB(constant, varying)));
        assertTrue(Double.isNaN(RankAgreement.concordance(varying, constant)));
        // a constant metric is defined: it orders no pair, each counting one half
        assertEquals(0.5, RankAgreement.concordance(constant, varying), EPS);
        double[] none = {};
        assertTrue(Double.isNaN(RankAgreement.regret(none, none)));
        assertTrue(Double.isNaN(RankAgreement.topKPrecision(none, none, 0.1)));
        assertTrue(Double.isNaN(RankAgreement.spearman(none, none)));
    }

    @Test
    void inputsAreValidated() {
        IllegalArgumentException length = assertThrows(
                IllegalArgumentException.class,
                () -> RankAgreement.spearman(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertEquals("x and y differ in length: 2 vs 3", length.getMessage());
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> RankAgreement.kendallTauB(new double[] {1, 2}, new double[] {1, Double.NaN}));
        assertEquals("y[1] is not finite: NaN", nan.getMessage());
        IllegalArgumentException inf = assertThrows(
                IllegalArgumentException.class,
                () -> RankAgreement.regret(new double[] {Double.POSITIVE_INFINITY}, new double[] {1}));
        assertEquals("x[0] is not finite: Infinity", inf.getMessage());
        IllegalArgumentException fraction = assertThrows(
                IllegalArgumentException.class,
                () -> RankAgreement.topKPrecision(new double[] {1}, new double[] {1}, 0));
        assertEquals("fraction must be in (0, 1], got 0.0", fraction.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> RankAgreement.topKPrecision(new double[] {1}, new double[] {1}, 1.5));
    }
}
