package io.rankforge.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.testing.ReferenceProfiles;
import org.junit.jupiter.api.Test;

class SelectionProblemTest {
    private static final NetworkProfile VGG = ReferenceProfiles.vgg16();

    @Test
    void rangesFloorsAndTheFixedFirstLayer() {
        SelectionProblem p = SelectionProblem.builder(VGG)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.25)
                .build();
        assertEquals(13, p.size());
        assertEquals(0, p.fixedIndex());
        assertEquals(10, p.lo(0));
        assertEquals(10, p.hi(0));
        assertEquals(10, p.lo(1)); // round(96/10)
        assertEquals(96, p.hi(1));
        assertEquals(77, p.lo(12));
        assertEquals(12, p.searched().length);
        double fixedCost = p.macsPerRank(0) * 10;
        assertEquals(p.flopsBudget() - fixedCost, p.flopsBudgetAfterFixed(), 1e-3);
        assertEquals(0.25 * VGG.originalMacs(), p.flopsBudget(), 1e-3);

        SelectionProblem max = SelectionProblem.builder(VGG)
                .firstLayer(FirstLayerRule.MAX)
                .targetFlops(0.25)
                .build();
        assertEquals(19, max.lo(0));
        SelectionProblem search = SelectionProblem.builder(VGG)
                .firstLayer(FirstLayerRule.SEARCH)
                .targetFlops(0.25)
                .build();
        assertEquals(-1, search.fixedIndex());
        assertEquals(2, search.lo(0));
        assertEquals(13, search.searched().length);
    }

    @Test
    void excludedLayersLeaveTheBudgetBase() {
        SelectionProblem p = SelectionProblem.builder(VGG)
                .excludePattern("conv1_.*")
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.5)
                .build();
        assertEquals(11, p.size());
        assertEquals("conv2_1", p.layer(0).name());
        assertEquals(-1, p.fixedIndex(), "the first-layer rule applies to the network's first layer only");
        double base =
                VGG.originalMacs() - VGG.layer(0).originalMacs() - VGG.layer(1).originalMacs();
        assertEquals(base, p.baseMacs(), 1e-3);
        UserInputException all = assertThrows(
                UserInputException.class,
                () -> SelectionProblem.builder(VGG)
                        .excludePattern("conv.*")
                        .targetFlops(0.5)
                        .build());
        assertTrue(all.getMessage().contains("excludes every layer"));
        assertThrows(
                UserInputException.class,
                () -> SelectionProblem.builder(VGG)
                        .excludePattern("(")
                        .targetFlops(0.5)
                        .build());
    }

    private static String badProblem(org.junit.jupiter.api.function.Executable build) {
        return assertThrows(SelectionProblemException.class, build).field();
    }

    @Test
    void badInputsNameTheirField() {
        // below the cheapest configuration: the documented "no feasible selection" outcome, typed as such
        InfeasibleBudgetException low = assertThrows(
                InfeasibleBudgetException.class,
                () -> SelectionProblem.builder(VGG).targetFlops(0.05).build());
        assertTrue(
                low.getMessage().startsWith("targetFlops 0.05 is below the cheapest")
                        && low.getMessage().contains("raise targetFlops or lower minRankFraction")
                        && !low.getMessage().contains("--"),
                low.getMessage());
        // a malformed problem: typed, naming the field
        assertEquals(
                "targetFlops",
                badProblem(() -> SelectionProblem.builder(VGG).targetFlops(0).build()));
        assertEquals(
                "targetFlops",
                badProblem(() -> SelectionProblem.builder(VGG).targetFlops(1.01).build()));
        assertEquals(
                "targetFlops",
                badProblem(() ->
                        SelectionProblem.builder(VGG).targetFlops(Double.NaN).build()));
        assertEquals(
                "targetParams",
                badProblem(() ->
                        SelectionProblem.builder(VGG).targetParams(Double.NaN).build()));
        assertEquals(
                "targetFlops", badProblem(() -> SelectionProblem.builder(VGG).build()));
        assertEquals(
                "minRankFraction",
                badProblem(() -> SelectionProblem.builder(VGG)
                        .targetFlops(0.5)
                        .minRankFraction(0)
                        .build()));
        assertEquals(
                "enc-model.delta",
                badProblem(() -> io.rankforge.search.enc.EncModelSettings.of(SelectionProblem.builder(VGG)
                        .targetFlops(0.5)
                        .option("enc-model.delta", "2")
                        .build())));
        assertEquals(
                "random.steps",
                badProblem(() -> SelectionProblem.builder(VGG)
                        .targetFlops(0.5)
                        .option("random.steps", "many")
                        .build()
                        .option("random.steps", 1)));
        SelectionProblemException noSv = assertThrows(
                SelectionProblemException.class,
                () -> SelectionProblem.builder(ReferenceProfiles.res56())
                        .metric(MetricKind.PCA)
                        .targetFlops(0.5)
                        .build());
        assertTrue(noSv.getMessage().contains("singular values"), noSv.getMessage());
        assertEquals("metric", noSv.field());
        assertThrows(UserInputException.class, () -> MetricKind.parse("entropy"));
        assertThrows(UserInputException.class, () -> FirstLayerRule.parse("third"));
        assertThrows(UserInputException.class, () -> RankSelectors.byId("magic"));
    }

    @Test
    void costsAndConfigurations() {
        SelectionProblem p =
                SelectionProblem.builder(VGG).targetFlops(1.0).targetParams(1.0).build();
        int[] hi = p.hiRanks();
        assertEquals(1.0, p.flopsRatio(hi), 1e-12);
        assertEquals(1.0, p.paramsRatio(hi), 1e-12);
        assertTrue(p.feasible(hi));
        RankConfiguration c = p.configuration(hi);
        assertArrayEquals(hi, p.ranksOf(c));
        assertTrue(Double.isNaN(p.networkFlopsRatio(hi)));
    }
}
