package io.rankforge.search.optimal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** optimal on 100-layer synthetic profiles: fast, within budget, and never below ENC-Map at ENC-Map's cost. */
class OptimalLargeProfileTest {
    private static final Logger LOG = LoggerFactory.getLogger(OptimalLargeProfileTest.class);

    @Test
    void hundredLayersAtSeveralBudgets() {
        for (long seed = 1; seed <= 3; seed++) {
            NetworkProfile prof = RandomProfiles.of(100, seed);
            for (MetricKind m : new MetricKind[] {MetricKind.MEASURED, MetricKind.PCA}) {
                for (double target : new double[] {0.25, 0.5}) {
                    SelectionProblem p = SelectionProblem.builder(prof)
                            .metric(m)
                            .targetFlops(target)
                            .build();
                    Selection opt = RankSelectors.byId("optimal").select(p);
                    Selection map = RankSelectors.byId("enc-map").select(p);
                    SelectionProblem atMap = p.toBuilder()
                            .targetFlops(Math.min(1, map.flopsRatio()))
                            .build();
                    Selection optAtMap = RankSelectors.byId("optimal").select(atMap);
                    LOG.debug(String.format(
                            "100 layers seed %d %s %.2f: optimal %.6g at %.5f (%.1f ms), enc-map %.6g at %.5f",
                            seed,
                            m.id(),
                            target,
                            opt.metricValue(),
                            opt.flopsRatio(),
                            opt.searchSeconds() * 1e3,
                            map.metricValue(),
                            map.flopsRatio()));
                    assertTrue(opt.flopsRatio() <= target + 1e-12);
                    assertTrue(
                            optAtMap.metricValue() >= map.metricValue() - 1e-12,
                            "optimal at ENC-Map's cost is at least as good");
                    assertTrue(opt.searchSeconds() < 5, "100 layers in seconds, took " + opt.searchSeconds());
                }
            }
        }
    }
}
