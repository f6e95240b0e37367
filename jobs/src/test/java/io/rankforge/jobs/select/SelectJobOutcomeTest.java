package io.rankforge.jobs.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.testing.ReferenceProfiles;
import org.junit.jupiter.api.Test;

/**
 * What {@code select} stores for one (model, method, budget): only the documented "no feasible selection"
 * outcome becomes a "failed" row; a selector's defect or a malformed problem fails the job. Run on the paper's
 * VGG-16 profile with the real selectors.
 */
class SelectJobOutcomeTest {

    static SelectionProblem.Builder vgg16(double targetFlops) {
        return SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(targetFlops);
    }

    /** A selector with a programming error. */
    static final class BrokenSelector implements RankSelector {
        @Override
        public String id() {
            return "broken";
        }

        @Override
        public Selection select(SelectionProblem p) {
            int[] ranks = p.hiRanks();
            ranks[p.size()] = 1; // an index one past the end: a defect
            return Selection.of(p, id(), ranks, 0, new io.rankforge.search.SelectionDiagnostics.None());
        }
    }

    @Test
    void aPickIsPicked() {
        SelectJob.Outcome o =
                SelectJob.search(RankSelectors.byId("enc-map"), vgg16(0.25).build());
        SelectJob.Picked picked = assertInstanceOf(SelectJob.Picked.class, o);
        assertTrue(picked.selection().flopsRatio() <= 0.25 * (1 + 1e-9), picked.toString());
    }

    @Test
    void noFeasibleSelectionBecomesARow() {
        // ENC-Model's window below the budget made far narrower than any step of the bounded space
        SelectionProblem p = vgg16(0.25).option("enc-model.tolerance", "1e-9").build();
        SelectJob.Outcome o = SelectJob.search(RankSelectors.byId("enc-model"), p);
        SelectJob.Infeasible inf = assertInstanceOf(SelectJob.Infeasible.class, o);
        assertTrue(
                inf.error().startsWith("InfeasibleBudgetException: ")
                        && inf.error().contains("enc-model"),
                inf.error());
    }

    @Test
    void aProgrammingErrorFailsTheJob() {
        SelectionProblem p = vgg16(0.25).build();
        // the selector's own exception reaches the job (which then fails), it is not turned into a row
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> SelectJob.search(new BrokenSelector(), p));
    }

    @Test
    void aMalformedProblemFailsTheJob() {
        SelectionProblem p = vgg16(0.25).metric(MetricKind.COMBINED).build();
        SelectionProblemException e =
                assertThrows(SelectionProblemException.class, () -> SelectJob.search(RankSelectors.byId("optimal"), p));
        assertEquals("metric", e.field());
        assertTrue(e.getMessage().contains("product metric"), e.getMessage());
    }
}
