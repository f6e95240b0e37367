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

class EncMapTest {
    private static final Logger LOG = LoggerFactory.getLogger(EncMapTest.class);

    @Test
    void vgg16MeasuredHalfFirstLayerLandsOnTarget() {
        NetworkProfile p = ReferenceProfiles.vgg16();
        SelectionProblem problem = SelectionProblem.builder(p)
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.25)
                .build();
        Selection s = RankSelectors.byId("enc-map").select(problem);
        LOG.debug("{}", "vgg16 enc-map: " + s);
        assertEquals(0.25, s.flopsRatio(), 0.005);
        assertEquals(10, s.configuration().rank("conv1_1"));
        int[] r = problem.ranksOf(s.configuration());
        for (int j = 0; j < r.length; j++) {
            assertTrue(r[j] >= problem.lo(j) && r[j] <= problem.hi(j), "rank out of range at " + j);
        }
    }

    @Test
    void res56MeasuredMaxFirstLayerLandsOnTarget() {
        NetworkProfile p = ReferenceProfiles.res56();
        SelectionProblem problem = SelectionProblem.builder(p)
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.MAX)
                .targetFlops(0.5)
                .build();
        Selection s = RankSelectors.byId("enc-map").select(problem);
        LOG.debug("{}", "res56 enc-map: " + s);
        assertEquals(0.5, s.flopsRatio(), 0.005);
        assertEquals(10, s.configuration().rank("layer1"));
    }
}
