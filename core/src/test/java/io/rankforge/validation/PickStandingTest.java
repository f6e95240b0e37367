package io.rankforge.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PickStandingTest {
    @Test
    void percentileCountsSamplesBelowAndTiesHalf() {
        double[] s = {0.5, 0.6, 0.7, 0.8};
        assertEquals(0, PickStanding.percentile(0.4, s), 1e-12);
        assertEquals(100, PickStanding.percentile(0.9, s), 1e-12);
        assertEquals(62.5, PickStanding.percentile(0.7, s), 1e-12); // 2 below + half of one tie
        assertTrue(Double.isNaN(PickStanding.percentile(0.7, new double[0])));
    }

    @Test
    void regretOnlyAgainstSamplesThatCostNoMore() {
        double[] cost = {0.246, 0.248, 0.2499};
        double[] acc = {0.70, 0.80, 0.90};
        // the most accurate sample costs more than the pick: it is not held against it
        assertEquals(0.80 - 0.75, PickStanding.regretAtOrBelow(0.2485, 0.75, cost, acc), 1e-12);
        assertEquals(0.90 - 0.75, PickStanding.regretAtOrBelow(0.25, 0.75, cost, acc), 1e-12);
        assertEquals(-0.05, PickStanding.regretAtOrBelow(0.25, 0.95, cost, acc), 1e-12);
        assertTrue(Double.isNaN(PickStanding.regretAtOrBelow(0.2, 0.75, cost, acc)), "no sample that cheap");
        assertThrows(
                IllegalArgumentException.class,
                () -> PickStanding.regretAtOrBelow(0.25, 0.7, new double[1], new double[2]));
    }
}
