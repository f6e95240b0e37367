package io.rankforge.search.enc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.testing.ReferenceProfiles;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ENC-Map and ENC-Model over a range of budgets, metrics and first-layer rules on the paper's data. */
class EncSweepTest {
    private static final Logger LOG = LoggerFactory.getLogger(EncSweepTest.class);

    @Test
    void vgg16AcrossBudgetsAndMetrics() {
        sweep(
                ReferenceProfiles.vgg16(),
                new MetricKind[] {MetricKind.MEASURED, MetricKind.PCA, MetricKind.COMBINED, MetricKind.FROBENIUS},
                new FirstLayerRule[] {FirstLayerRule.HALF, FirstLayerRule.SEARCH});
    }

    @Test
    void res56AcrossBudgets() {
        sweep(ReferenceProfiles.res56(), new MetricKind[] {MetricKind.MEASURED}, new FirstLayerRule[] {
            FirstLayerRule.MAX, FirstLayerRule.SEARCH
        });
    }

    private static void sweep(NetworkProfile prof, MetricKind[] metrics, FirstLayerRule[] rules) {
        for (MetricKind m : metrics) {
            for (FirstLayerRule rule : rules) {
                for (double t : new double[] {0.2, 0.3, 0.5, 0.7, 0.9}) {
                    SelectionProblem p = SelectionProblem.builder(prof)
                            .metric(m)
                            .firstLayer(rule)
                            .targetFlops(t)
                            .build();
                    String what = m.id() + "/" + rule.id() + "@" + t;
                    Selection map = new EncMap().select(p);
                    Selection model = new EncModel().select(p);
                    LOG.debug(String.format(
                            "%s map %.4f %.5f  model %.4f %.5f  (%.3f s)",
                            what,
                            map.flopsRatio(),
                            map.metricValue(),
                            model.flopsRatio(),
                            model.metricValue(),
                            model.searchSeconds()));
                    assertEquals(t, map.flopsRatio(), 0.005, what + " enc-map");
                    assertEquals(t, model.flopsRatio(), t * 0.005 + 1e-12, what + " enc-model");
                    assertTrue(p.feasible(p.ranksOf(model.configuration())) || model.flopsRatio() > t, what);
                    if (Math.abs(map.flopsRatio() - t) <= t * 0.005) {
                        assertTrue(
                                model.metricValue() >= map.metricValue() - 1e-12, what + ": enc-model below enc-map");
                    }
                }
            }
        }
    }
}
