package io.rankforge.search.enc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.testing.ReferenceProfiles;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Params budgets: alone (the primary cost) and with a FLOPs budget (a further upper limit). */
class EncParamsBudgetTest {
    private static final Logger LOG = LoggerFactory.getLogger(EncParamsBudgetTest.class);

    @Test
    void paramsTargetAlone() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetParams(0.3)
                .build();
        Selection map = new EncMap().select(p), model = new EncModel().select(p);
        assertEquals(0.3, map.paramsRatio(), 0.005);
        assertEquals(0.3, model.paramsRatio(), 0.3 * 0.005 + 1e-12);
        assertTrue(model.metricValue() >= map.metricValue() - 1e-12);
    }

    @Test
    void flopsAndParamsTogether() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.4)
                .targetParams(0.3)
                .build();
        Selection map = new EncMap().select(p), model = new EncModel().select(p);
        assertTrue(map.paramsRatio() <= 0.3 + 1e-9 && map.flopsRatio() <= 0.4 + 1e-9, "enc-map within both: " + map);
        // params binds here (ENC-Map at 40% FLOPs alone needs more than 30% params): params is banded, FLOPs limited
        assertEquals(0.3, model.paramsRatio(), 0.3 * 0.005 + 1e-12, "enc-model in the params band: " + model);
        assertTrue(model.flopsRatio() <= 0.4 + 1e-9, "enc-model within the FLOPs budget: " + model);
    }

    @Test
    void anchorAtMapIsAnOption() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.res56())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.MAX)
                .targetFlops(0.5)
                .option("enc-model.anchor", "map")
                .build();
        Selection map = new EncMap().select(p), model = new EncModel().select(p);
        LOG.debug(
                "{}",
                "res56 anchor=map: map " + map.metricValue() + " model " + model.metricValue() + " "
                        + ((SelectionDiagnostics.EncModel) model.diagnostics())
                                .space()
                                .encMapSeedWon());
        assertEquals(
                "map",
                ((SelectionDiagnostics.EncModel) model.diagnostics()).space().anchor());
        assertTrue(model.metricValue() >= map.metricValue() - 1e-12);
    }
}
