package io.rankforge.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.profile.LayerProfile;
import io.rankforge.spectrum.Scheme;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LayerMetricsTest {
    private static final double[] SV = {5, 4, 3, 2, 1, 0.5};

    private static LayerProfile layer(int rMax, double[] sv, TreeMap<Integer, Double> samples) {
        return new LayerProfile("l", Scheme.SPATIAL, 6, rMax, 10, 3, 10 * rMax, 3 * rMax, sv, samples);
    }

    @Test
    void pcaEnergyLeavesOutTheFirstValueIsNotSquaredAndIsNormalisedAtRmax() {
        LayerMetrics m = LayerMetrics.of(layer(4, SV, null));
        // σ2..σ4 = 4 + 3 + 2 = 9
        assertEquals(0.0, m.value(MetricKind.PCA, 1), 0);
        assertEquals(4.0 / 9, m.value(MetricKind.PCA, 2), 1e-15);
        assertEquals(7.0 / 9, m.value(MetricKind.PCA, 3), 1e-15);
        assertEquals(1.0, m.value(MetricKind.PCA, 4), 0);
        assertEquals(Math.log(4.0 / 9), m.log(MetricKind.PCA, 2), 1e-15);
        assertEquals(Double.NEGATIVE_INFINITY, m.log(MetricKind.PCA, 1));
    }

    @Test
    void frobeniusAndNuclearAreSharesOfTheWholeKnownSpectrum() {
        LayerMetrics m = LayerMetrics.of(layer(4, SV, null));
        double sq = 25 + 16 + 9 + 4 + 1 + 0.25, sum = 15.5;
        assertEquals(25 / sq, m.value(MetricKind.FROBENIUS, 1), 1e-15);
        assertEquals((25 + 16 + 9 + 4) / sq, m.value(MetricKind.FROBENIUS, 4), 1e-15);
        assertEquals(9 / sum, m.value(MetricKind.NUCLEAR, 2), 1e-15);
    }

    @Test
    void measuredCurveIsPchipThroughOriginAndSamplesFlatAfterTheLast() {
        TreeMap<Integer, Double> s = new TreeMap<>();
        s.put(1, 0.5);
        s.put(2, 0.9);
        s.put(4, 1.0);
        LayerMetrics m = LayerMetrics.of(layer(6, SV, s));
        Pchip ref = Pchip.through(new double[] {0, 1, 2, 4}, new double[] {0, 0.5, 0.9, 1.0});
        assertEquals(0.5, m.value(MetricKind.MEASURED, 1), 1e-15);
        assertEquals(ref.value(3), m.value(MetricKind.MEASURED, 3), 1e-15);
        assertTrue(m.value(MetricKind.MEASURED, 3) > 0.9 && m.value(MetricKind.MEASURED, 3) < 1.0);
        assertEquals(1.0, m.value(MetricKind.MEASURED, 5), 0);
        assertEquals(1.0, m.value(MetricKind.MEASURED, 6), 0);
    }

    @Test
    void missingCurvesAreReportedNotInvented() {
        LayerMetrics m = LayerMetrics.of(layer(4, null, null));
        assertFalse(m.has(MetricKind.PCA));
        assertFalse(m.has(MetricKind.MEASURED));
        assertThrows(IllegalStateException.class, () -> m.value(MetricKind.PCA, 2));
        assertThrows(IllegalArgumentException.class, () -> LayerMetrics.of(layer(4, new double[] {3, 2}, null)));
    }

    @Test
    void rankOneLayerHasFullEnergy() {
        LayerMetrics m =
                LayerMetrics.of(new LayerProfile("one", Scheme.DENSE, 1, 1, 2, 2, 2, 2, new double[] {3}, null));
        assertEquals(1.0, m.value(MetricKind.PCA, 1), 0);
    }
}
