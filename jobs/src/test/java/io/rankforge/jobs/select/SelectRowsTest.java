package io.rankforge.jobs.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rankforge.jobs.store.SchemaAssertions;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.testing.ReferenceProfiles;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The selections and candidates tables' row builders set every field of their schemas (a pick and an infeasible
 * outcome together cover the selections schema), on the paper's VGG-16 profile.
 */
class SelectRowsTest {
    @Test
    void selectionsEveryFieldIsSet() {
        // the reference profile with whole-network totals (the paper's data has none), so network_flops_ratio is set
        NetworkProfile vgg = ReferenceProfiles.vgg16();
        NetworkProfile withTotals =
                new NetworkProfile(vgg.source(), vgg.layers(), 2 * vgg.originalMacs(), 2 * vgg.originalParams());
        SelectionProblem p = SelectionProblem.builder(withTotals)
                .metric(io.rankforge.MetricKind.MEASURED)
                .firstLayer(io.rankforge.search.FirstLayerRule.HALF)
                .targetFlops(0.25)
                .build();
        Selection s = RankSelectors.byId("enc-map").select(p);
        int[] ranks = p.ranksOf(s.configuration());
        Row ok = SelectJob.row("vgg16", "d1", p, s, ranks, 0.25, 0.7, 12, "t1");
        Row failed = SelectJob.failedRow("vgg16", "d1", p, "enc-model", 0.25, "InfeasibleBudgetException: none");
        SchemaAssertions.assertEveryFieldSet(SelectJob.SCHEMA, List.of(ok, failed));
        assertEquals("ok", ok.get(SelectJob.SCHEMA.fieldIndex("status")));
        assertNull(ok.get(SelectJob.SCHEMA.fieldIndex("error")));
        assertEquals("failed", failed.get(SelectJob.SCHEMA.fieldIndex("status")));
        assertNull(failed.get(SelectJob.SCHEMA.fieldIndex("flops_ratio")));
        assertEquals(s.flopsRatio(), ok.getDouble(SelectJob.SCHEMA.fieldIndex("flops_ratio")), 0);
    }

    @Test
    void candidatesEveryFieldIsSet() {
        SelectionProblem p = SelectJobOutcomeTest.vgg16(0.25).build();
        Row r = SelectJob.candidateRow("vgg16", "d1", 0.25, 0, p, p.hiRanks(), 0.9, 0.7, true);
        SchemaAssertions.assertEveryFieldSet(SelectJob.CANDIDATES_SCHEMA, List.of(r));
    }
}
