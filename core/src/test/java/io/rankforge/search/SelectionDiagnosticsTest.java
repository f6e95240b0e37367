package io.rankforge.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.AccuracyOracle;
import io.rankforge.MetricKind;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.testing.ReferenceProfiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every method's diagnostics are its own record, and {@link SelectionDiagnostics#asMap()} names the facts as the
 * untyped map did before (the snake_case keys output and logs use).
 */
class SelectionDiagnosticsTest {
    static final SelectionProblem VGG = SelectionProblem.builder(ReferenceProfiles.vgg16())
            .metric(MetricKind.MEASURED)
            .firstLayer(FirstLayerRule.HALF)
            .targetFlops(0.25)
            .option("enc-inf.candidates", "5")
            .build();

    static final List<String> SPACE_KEYS = List.of(
            "upper_bound",
            "lower_bound",
            "steps",
            "groups",
            "space_size",
            "expansions",
            "anchor",
            "enc_map_seed_won",
            "cost_band",
            "density_used");

    static Selection select(String method, SelectionProblem p) {
        return RankSelectors.byId(method).select(p);
    }

    static List<String> keys(Selection s) {
        return List.copyOf(s.diagnostics().asMap().keySet());
    }

    @Test
    void everyMethodHasItsRecordAndItsKeys() {
        Map<String, Class<? extends SelectionDiagnostics>> types = Map.of(
                "enc-map", SelectionDiagnostics.EncMap.class,
                "enc-model", SelectionDiagnostics.EncModel.class,
                "optimal", SelectionDiagnostics.Optimal.class,
                "uniform", SelectionDiagnostics.Uniform.class,
                "energy-nuclear", SelectionDiagnostics.Energy.class,
                "energy-frobenius", SelectionDiagnostics.Energy.class,
                "random", SelectionDiagnostics.Random.class);
        types.forEach(
                (method, type) -> assertInstanceOf(type, select(method, VGG).diagnostics(), method));
        assertEquals(List.of("level", "curves_extended_to_rmax"), keys(select("enc-map", VGG)));
        assertEquals(SPACE_KEYS, keys(select("enc-model", VGG)));
        assertEquals(List.of("log_metric", "zero_terms", "exact"), keys(select("optimal", VGG)));
        assertEquals(List.of("rank_fraction"), keys(select("uniform", VGG)));
        assertEquals(List.of("energy_threshold"), keys(select("energy-nuclear", VGG)));
        assertEquals(List.of("space", "seed", "steps", "band_reached", "band_low"), keys(select("random", VGG)));
    }

    @Test
    void vbmfOnAProfileWithSpectra() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.PCA)
                .targetFlops(0.5)
                .build();
        Selection s = select("vbmf", p);
        SelectionDiagnostics.Vbmf v = assertInstanceOf(SelectionDiagnostics.Vbmf.class, s.diagnostics());
        assertEquals(p.size(), v.evbmfRanks().size());
        assertEquals(List.of("scale", "evbmf_ranks", "truncated_spectra", "zero_estimates"), keys(s));
    }

    @Test
    void encInfNamesItsCandidatesAndTheChosenOne() {
        AccuracyOracle oracle = c -> VGG.tables().value(MetricKind.PCA, VGG.ranksOf(c));
        Selection s = select("enc-inf", VGG.toBuilder().oracle(oracle).build());
        SelectionDiagnostics.EncInf d = assertInstanceOf(SelectionDiagnostics.EncInf.class, s.diagnostics());
        assertEquals(5, d.candidatesEvaluated());
        assertEquals(5, d.candidateMetricValues().length);
        assertEquals(d.candidateAccuracies().get(d.chosenCandidate()), d.chosenAccuracy(), 0);
        assertEquals(s.metrics().get("pca"), d.chosenAccuracy(), 0);
        List<String> expected = new java.util.ArrayList<>(SPACE_KEYS);
        expected.addAll(List.of(
                "candidates_evaluated",
                "candidate_accuracies",
                "candidate_metric_values",
                "chosen_candidate",
                "chosen_accuracy"));
        assertEquals(expected, keys(s));
    }

    @Test
    void paretoPointsCarryTheirTarget() {
        List<Selection> front = io.rankforge.search.optimal.OptimalSelector.front(VGG, new double[] {0.25, 0.5});
        assertEquals(2, front.size());
        SelectionDiagnostics.Optimal o =
                (SelectionDiagnostics.Optimal) front.get(1).diagnostics();
        assertEquals(0.5, o.targetFlops().orElseThrow(), 0);
        assertEquals(0.5, front.get(1).diagnostics().asMap().get("target_flops"));
        assertTrue(((SelectionDiagnostics.Optimal) select("optimal", VGG).diagnostics())
                .targetFlops()
                .isEmpty());
    }

    @Test
    void arraysAreCopiedNotShared() {
        SelectionDiagnostics.EncModel m =
                (SelectionDiagnostics.EncModel) select("enc-model", VGG).diagnostics();
        int[] upper = m.space().upperBound();
        upper[0] = -1;
        assertTrue(m.space().upperBound()[0] != -1);
        assertArrayEquals(m.space().upperBound(), (int[]) m.asMap().get("upper_bound"));
    }
}
