package io.rankforge.search.enc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ENC-Map and ENC-Model on a synthetic 100-layer profile: on target, and ENC-Model at least as good. */
class EncLargeProfileTest {
    private static final Logger LOG = LoggerFactory.getLogger(EncLargeProfileTest.class);

    @Test
    void hundredLayers() {
        var prof = SyntheticProfiles.of(100, 7);
        for (MetricKind m : new MetricKind[] {MetricKind.MEASURED, MetricKind.PCA, MetricKind.COMBINED}) {
            SelectionProblem p =
                    SelectionProblem.builder(prof).metric(m).targetFlops(0.4).build();
            Selection map = new EncMap().select(p);
            Selection model = new EncModel().select(p);
            LOG.debug(String.format(
                    "100 layers %s: map %.4f %.6g (%.4f s), model %.4f %.6g (%.4f s)",
                    m.id(),
                    map.flopsRatio(),
                    map.metricValue(),
                    map.searchSeconds(),
                    model.flopsRatio(),
                    model.metricValue(),
                    model.searchSeconds()));
            assertEquals(0.4, map.flopsRatio(), 0.005);
            assertEquals(0.4, model.flopsRatio(), 0.4 * 0.005 + 1e-12);
            assertTrue(model.metricValue() >= map.metricValue() - 1e-12 || Math.abs(map.flopsRatio() - 0.4) > 0.002);
        }
    }
}
