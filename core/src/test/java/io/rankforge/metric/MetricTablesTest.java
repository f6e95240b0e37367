package io.rankforge.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankforge.MetricKind;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.SelectionProblem;
import io.rankforge.testing.ReferenceProfiles;
import org.junit.jupiter.api.Test;

class MetricTablesTest {

    @Test
    void networkMetricsFollowTheirDefinitions() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.COMBINED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.5)
                .build();
        MetricTables t = p.tables();
        int[] r = new int[p.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = (p.lo(j) + p.hi(j)) / 2;
        }
        double ap = 1, am = 1, cost = 0, orig = 0;
        for (int j = 0; j < r.length; j++) {
            ap *= t.layer(j).value(MetricKind.PCA, r[j]);
            am *= t.layer(j).value(MetricKind.MEASURED, r[j]);
            cost += p.layer(j).macsPerRank() * r[j];
            orig += p.layer(j).originalMacs();
        }
        assertEquals(ap, t.value(MetricKind.PCA, r), 1e-15);
        assertEquals(am, t.value(MetricKind.MEASURED, r), 1e-15);
        assertEquals(ap * cost / orig + am, t.value(MetricKind.COMBINED, r), 1e-12);
        assertEquals(Math.log(am), t.logValue(MetricKind.MEASURED, r), 1e-12);
        assertEquals(3, t.standardValues(r).size());
    }
}
