package io.rankforge.search.enc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.testing.ReferenceProfiles;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EncModelTest {
    private static final Logger LOG = LoggerFactory.getLogger(EncModelTest.class);

    @Test
    void vgg16CombinedBeatsEncMapWithinHalfPercent() {
        NetworkProfile p = ReferenceProfiles.vgg16();
        for (MetricKind metric : new MetricKind[] {MetricKind.MEASURED, MetricKind.COMBINED}) {
            SelectionProblem problem = SelectionProblem.builder(p)
                    .metric(metric)
                    .firstLayer(FirstLayerRule.HALF)
                    .targetFlops(0.25)
                    .build();
            Selection map = RankSelectors.byId("enc-map").select(problem);
            Selection model = RankSelectors.byId("enc-model").select(problem);
            LOG.debug("{}", metric + " map   " + map);
            LOG.debug("{}", metric + " model " + model);
            assertEquals(0.25, model.flopsRatio(), 0.25 * 0.005 + 1e-12);
            assertTrue(
                    model.metrics().get("combined") >= map.metrics().get("combined"),
                    "A_c of enc-model below enc-map's");
            assertTrue(model.metrics().get(metric.id()) >= map.metrics().get(metric.id()));
            assertEquals(10, model.configuration().rank("conv1_1"));
        }
    }
}
