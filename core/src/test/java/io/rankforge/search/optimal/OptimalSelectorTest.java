package io.rankforge.search.optimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.testing.ReferenceProfiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** optimal on the paper's reference profiles, against ENC's own selections. */
class OptimalSelectorTest {
    private static final Logger LOG = LoggerFactory.getLogger(OptimalSelectorTest.class);

    private static SelectionProblem vgg16(double target) {
        return SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(target)
                .build();
    }

    private static SelectionProblem res56(double target) {
        return SelectionProblem.builder(ReferenceProfiles.res56())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.MAX)
                .targetFlops(target)
                .build();
    }

    private static void assertBeats(SelectionProblem p, String other) {
        Selection opt = RankSelectors.byId("optimal").select(p);
        Selection enc = RankSelectors.byId(other).select(p);
        LOG.debug(String.format(
                "%s: optimal A_m=%.6f flops=%.5f (%.1f ms) vs %s A_m=%.6f flops=%.5f",
                p.profile().source(),
                opt.metricValue(),
                opt.flopsRatio(),
                opt.searchSeconds() * 1e3,
                other,
                enc.metricValue(),
                enc.flopsRatio()));
        assertTrue(opt.flopsRatio() <= p.targetFlops().getAsDouble() + 1e-12, "optimal is within the budget");
        assertTrue(
                opt.metricValue() >= enc.metricValue() || opt.flopsRatio() > enc.flopsRatio(),
                "optimal's A_m is at least " + other + "'s unless " + other + " is cheaper");
        // at ENC's own cost (which may lie a little above the target), optimal is at least as good
        SelectionProblem atEncCost =
                p.toBuilder().targetFlops(Math.min(1, enc.flopsRatio())).build();
        Selection optAtEnc = RankSelectors.byId("optimal").select(atEncCost);
        assertTrue(optAtEnc.flopsRatio() <= enc.flopsRatio() + 1e-12);
        assertTrue(
                optAtEnc.metricValue() >= enc.metricValue() - 1e-12,
                "at no higher cost than " + other + ", optimal's A_m " + optAtEnc.metricValue() + " ≥ "
                        + enc.metricValue());
    }

    @Test
    void vgg16AtQuarterFlopsBeatsEncMapAndEncModel() {
        SelectionProblem p = vgg16(0.25);
        Selection opt = RankSelectors.byId("optimal").select(p);
        assertEquals(10, opt.configuration().rank("conv1_1"), "first layer kept at round(r_max/2)");
        assertBeats(p, "enc-map");
        assertBeats(p, "enc-model");
        assertTrue(opt.searchSeconds() < 1.0, "well under a second, took " + opt.searchSeconds());
    }

    @Test
    void res56AtHalfFlopsBeatsEncMap() {
        SelectionProblem p = res56(0.5);
        Selection opt = RankSelectors.byId("optimal").select(p);
        assertEquals(10, opt.configuration().rank("layer1"), "first layer kept at r_max");
        assertBeats(p, "enc-map");
    }

    @Test
    void paretoFrontIsMonotoneAndMatchesSingleSolves() {
        SelectionProblem p = vgg16(0.25);
        double[] grid = new double[100];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (i + 1) / 100.0;
        }
        List<Selection> front = OptimalSelector.front(p, grid);
        assertTrue(front.size() >= 90, "most of the grid is above the cheapest configuration: " + front.size());
        for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).metricValue() >= front.get(i - 1).metricValue(), "metric monotone at " + i);
            assertTrue(front.get(i).flopsRatio() >= front.get(i - 1).flopsRatio(), "cost monotone at " + i);
        }
        for (Selection s : front) {
            double target = ((SelectionDiagnostics.Optimal) s.diagnostics())
                    .targetFlops()
                    .orElseThrow();
            assertTrue(s.flopsRatio() <= target + 1e-12);
            if (Math.round(target * 100) % 20 == 5) { // spot checks against single solves
                Selection single = RankSelectors.byId("optimal")
                        .select(p.toBuilder().targetFlops(target).build());
                assertEquals(single.metricValue(), s.metricValue(), 1e-12, "front at " + target);
            }
        }
    }

    @Test
    void paramsBudgetIsRespected() {
        SelectionProblem p = vgg16(0.4).toBuilder().targetParams(0.3).build();
        Selection s = RankSelectors.byId("optimal").select(p);
        assertTrue(s.flopsRatio() <= 0.4 + 1e-12 && s.paramsRatio() <= 0.3 + 1e-12, s.toString());
        Selection flopsOnly = RankSelectors.byId("optimal").select(vgg16(0.4));
        assertTrue(flopsOnly.metricValue() >= s.metricValue(), "a second constraint cannot help");
    }

    @Test
    void exclusionsAndRankFloorsAreRespected() {
        SelectionProblem p = vgg16(0.4).toBuilder()
                .excludePattern("conv5_.*")
                .minRankFraction(0.25)
                .build();
        for (String id : List.of("optimal", "uniform", "energy-nuclear", "energy-frobenius", "vbmf", "random")) {
            Selection s = RankSelectors.byId(id).select(p);
            assertEquals(
                    p.layerNames(),
                    List.copyOf(s.configuration().ranks().keySet()),
                    id + ": only the compressed layers");
            assertTrue(s.configuration().ranks().keySet().stream().noneMatch(n -> n.startsWith("conv5")), id);
            int[] r = p.ranksOf(s.configuration());
            for (int j = 0; j < r.length; j++) {
                assertTrue(
                        r[j] >= p.lo(j) && r[j] <= p.hi(j),
                        id + " layer " + j + " rank " + r[j] + " outside [" + p.lo(j) + ", " + p.hi(j) + "]");
            }
            assertTrue(s.flopsRatio() <= 0.4, id + " within the budget of the compressed layers");
        }
        Selection opt = RankSelectors.byId("optimal").select(p);
        for (String id : List.of("uniform", "energy-nuclear", "energy-frobenius", "vbmf", "random")) {
            assertTrue(
                    opt.metricValue() >= RankSelectors.byId(id).select(p).metricValue(), "optimal is at least " + id);
        }
    }

    @Test
    void pcaMetricWithZeroTermsAtRankOne() {
        // a rank floor of 1 lets y_p(1) = 0 into the choices: optimal must avoid it while the budget allows
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.PCA)
                .firstLayer(FirstLayerRule.HALF)
                .minRankFraction(0.001)
                .targetFlops(0.2)
                .build();
        Selection s = RankSelectors.byId("optimal").select(p);
        assertEquals(0, ((SelectionDiagnostics.Optimal) s.diagnostics()).zeroTerms());
        assertTrue(s.metricValue() > 0);
        assertTrue(s.metricValue() >= RankSelectors.byId("uniform").select(p).metricValue());
        int[] r = p.ranksOf(s.configuration());
        for (int j : p.searched()) {
            assertTrue(r[j] >= 2, "rank 1 has y_p = 0, layer " + j);
        }
    }

    @Test
    void combinedMetricIsRefusedClearly() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.COMBINED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.25)
                .build();
        SelectionProblemException e = assertThrows(
                SelectionProblemException.class,
                () -> RankSelectors.byId("optimal").select(p));
        assertTrue(e.getMessage().contains("product metric"), e.getMessage());
        assertEquals("metric", e.field());
    }
}
