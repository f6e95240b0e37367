package io.rankforge.search.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.UserInputException;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.spectrum.Scheme;
import io.rankforge.testing.ReferenceProfiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The §7 baselines hit their budgets from below and follow their definitions. */
class BaselineSelectorsTest {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineSelectorsTest.class);

    private static final List<String> BASELINES =
            List.of("uniform", "energy-nuclear", "energy-frobenius", "vbmf", "random");

    private static SelectionProblem vgg16(double target) {
        return SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(target)
                .build();
    }

    @Test
    void everyBaselineHitsTheBudgetFromBelowOnVgg16() {
        for (double target : new double[] {0.25, 0.5, 0.75}) {
            SelectionProblem p = vgg16(target);
            for (String id : BASELINES) {
                Selection s = RankSelectors.byId(id).select(p);
                LOG.debug(String.format(
                        "vgg16 %.2f %-16s flops %.5f A_m %.5f %s",
                        target, id, s.flopsRatio(), s.metricValue(), s.diagnostics()));
                assertTrue(s.flopsRatio() <= target, id + " over budget: " + s.flopsRatio());
                double closeness = id.equals("random") ? target * 0.005 : 0.01;
                assertTrue(s.flopsRatio() >= target - closeness - 1e-12, id + " not at the budget: " + s.flopsRatio());
                assertEquals(10, s.configuration().rank("conv1_1"), id + " keeps the first-layer rule");
                int[] r = p.ranksOf(s.configuration());
                for (int j = 0; j < r.length; j++) {
                    assertTrue(r[j] >= p.lo(j) && r[j] <= p.hi(j), id + " rank out of range");
                }
            }
        }
    }

    @Test
    void uniformUsesOneFractionEverywhere() {
        SelectionProblem p = vgg16(0.4);
        Selection s = RankSelectors.byId("uniform").select(p);
        double f = ((SelectionDiagnostics.Uniform) s.diagnostics()).rankFraction();
        int[] r = p.ranksOf(s.configuration());
        for (int j : p.searched()) {
            assertEquals(Math.round(f * p.rMax(j)), r[j], "layer " + j);
        }
        // one rank more anywhere (the next fraction step) would break the budget
        int[] bigger = UniformSelector.ranksAt(p, f + 1e-9);
        assertTrue(p.macs(bigger) > p.flopsBudget() || java.util.Arrays.equals(bigger, r));
    }

    @Test
    void energyBaselinesKeepOneEnergyShare() {
        SelectionProblem p = vgg16(0.4);
        for (MetricKind kind : new MetricKind[] {MetricKind.NUCLEAR, MetricKind.FROBENIUS}) {
            Selection s = RankSelectors.byId(kind == MetricKind.NUCLEAR ? "energy-nuclear" : "energy-frobenius")
                    .select(p);
            double e = ((SelectionDiagnostics.Energy) s.diagnostics()).energyThreshold();
            int[] r = p.ranksOf(s.configuration());
            for (int j : p.searched()) {
                double[] c = p.tables().layer(j).curve(kind);
                if (r[j] == p.lo(j) || r[j] == p.hi(j)) {
                    continue; // clamped
                }
                assertTrue(
                        c[r[j]] >= e && c[r[j] - 1] < e, kind + " layer " + j + ": smallest rank keeping share " + e);
            }
        }
    }

    @Test
    void randomIsReproduciblePerSeedAndVaries() {
        SelectionProblem p = vgg16(0.25);
        Selection a = RankSelectors.byId("random").select(p.toBuilder().seed(7).build());
        Selection b = RankSelectors.byId("random").select(p.toBuilder().seed(7).build());
        assertEquals(a.configuration(), b.configuration(), "same seed, same configuration");
        Set<Map<String, Integer>> seen = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            Selection s =
                    RankSelectors.byId("random").select(p.toBuilder().seed(seed).build());
            assertTrue(s.flopsRatio() <= 0.25 && s.flopsRatio() >= 0.25 * 0.995, "in the band: " + s.flopsRatio());
            seen.add(s.configuration().ranks());
        }
        assertEquals(10, seen.size(), "ten seeds, ten different configurations");
        Selection full = RankSelectors.byId("random")
                .select(p.toBuilder().seed(7).option("random.space", "full").build());
        assertNotEquals(a.configuration(), full.configuration());
        assertTrue(full.flopsRatio() <= 0.25 && full.flopsRatio() >= 0.25 * 0.995);
    }

    @Test
    void randomAndUniformWorkWithAParamsTargetAlone() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetParams(0.3)
                .build();
        for (String id : List.of("uniform", "random")) {
            Selection s = RankSelectors.byId(id).select(p);
            assertTrue(s.paramsRatio() <= 0.3 && s.paramsRatio() >= 0.3 - 0.01, id + " params " + s.paramsRatio());
        }
    }

    @Test
    void vbmfFindsEachLayersTrueRankThenScales() {
        // three layers whose spectra are those of rank-4, rank-9 and rank-15 matrices plus noise
        NetworkProfile prof =
                lowRankPlusNoise("low-rank-plus-noise", new int[][] {{48, 96, 4}, {96, 96, 9}, {96, 192, 15}}, 100);
        SelectionProblem p = SelectionProblem.builder(prof)
                .metric(MetricKind.PCA)
                .targetFlops(0.3)
                .minRankFraction(0.01)
                .build();
        Selection s = RankSelectors.byId("vbmf").select(p);
        SelectionDiagnostics.Vbmf vbmf = (SelectionDiagnostics.Vbmf) s.diagnostics();
        assertEquals(Map.of("l0", 4, "l1", 9, "l2", 15), vbmf.evbmfRanks());
        assertEquals(0, vbmf.truncatedSpectra());
        double scale = vbmf.scale();
        int[] r = p.ranksOf(s.configuration());
        int[] est = {4, 9, 15};
        for (int j = 0; j < 3; j++) {
            assertEquals(Math.max(p.lo(j), Math.min(p.hi(j), Math.round(scale * est[j]))), r[j]);
        }
        assertTrue(s.flopsRatio() <= 0.3 && s.flopsRatio() > 0.25, "scaled to the budget: " + s.flopsRatio());
    }

    @Test
    void vbmfReachesTheBudgetWhenSomeLayersLookLikePureNoise() {
        // a rank-6 layer and two whose spectra are noise only: EVBMF estimates 0 for those
        NetworkProfile prof =
                lowRankPlusNoise("noise-layers", new int[][] {{48, 96, 6}, {64, 64, 0}, {32, 96, 0}}, 200);
        for (double target : new double[] {0.25, 0.5, 0.75}) {
            SelectionProblem p = SelectionProblem.builder(prof)
                    .metric(MetricKind.PCA)
                    .targetFlops(target)
                    .minRankFraction(0.01)
                    .build();
            Selection s = RankSelectors.byId("vbmf").select(p);
            assertEquals(
                    2,
                    ((SelectionDiagnostics.Vbmf) s.diagnostics()).zeroEstimates(),
                    "two noise-only layers: " + s.diagnostics());
            assertTrue(
                    s.flopsRatio() <= target && s.flopsRatio() >= target - 0.03,
                    "vbmf follows the budget " + target + " even with zero estimates: " + s.flopsRatio());
        }
    }

    @Test
    void spectrumBaselinesNeedSpectra() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.res56())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.MAX)
                .targetFlops(0.5)
                .build();
        for (String id : List.of("energy-nuclear", "energy-frobenius", "vbmf")) {
            UserInputException e = assertThrows(
                    UserInputException.class, () -> RankSelectors.byId(id).select(p));
            assertTrue(e.getMessage().contains("singular values"), e.getMessage());
        }
        Selection u = RankSelectors.byId("uniform").select(p);
        assertTrue(u.flopsRatio() <= 0.5 && u.flopsRatio() > 0.49);
    }
    /** Dense layers {rows, cols, true rank} whose spectra are those of low-rank matrices plus noise. */
    private static NetworkProfile lowRankPlusNoise(String name, int[][] shapes, long seed) {
        List<LayerProfile> layers = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            int rows = shapes[i][0], cols = shapes[i][1];
            double[] sv = EvbmfTest.lowRankPlusNoise(rows, cols, shapes[i][2], 0.6, 1.0, seed + i);
            int rMax = (int) Math.round((double) rows * cols / (rows + cols));
            double macsPerRank = (rows + cols) * 64.0;
            layers.add(new LayerProfile(
                    "l" + i,
                    Scheme.DENSE,
                    rows,
                    rMax,
                    macsPerRank,
                    rows + cols,
                    macsPerRank * rMax,
                    (double) rows * cols,
                    sv,
                    java.util.Collections.emptyNavigableMap()));
        }
        return new NetworkProfile(name, layers, 0, 0);
    }
}
