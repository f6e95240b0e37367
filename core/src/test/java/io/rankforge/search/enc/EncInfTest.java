package io.rankforge.search.enc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.AccuracyOracle;
import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.testing.ReferenceProfiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncInfTest {

    @Test
    void evaluatesTheTopCandidatesAndReturnsTheMostAccurate() {
        SelectionProblem base = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .metric(MetricKind.MEASURED)
                .firstLayer(FirstLayerRule.HALF)
                .targetFlops(0.25)
                .option("enc-inf.candidates", "12")
                .build();
        // a scoring function that disagrees with the search metric: the PCA metric of the configuration
        List<RankConfiguration> seen = new ArrayList<>();
        AccuracyOracle oracle = c -> {
            seen.add(c);
            return base.tables().value(MetricKind.PCA, base.ranksOf(c));
        };
        SelectionProblem p = base.toBuilder().oracle(oracle).build();
        Selection s = new EncInf().select(p);
        assertEquals(12, seen.size());
        double best = seen.stream()
                .mapToDouble(c -> p.tables().value(MetricKind.PCA, p.ranksOf(c)))
                .max()
                .orElseThrow();
        assertEquals(best, s.metrics().get("pca"), 0);
        assertEquals(0.25, s.flopsRatio(), 0.25 * 0.005 + 1e-12);
        Selection model = new EncModel().select(base);
        assertTrue(
                s.metrics().get("measured") <= model.metrics().get("measured") + 1e-15,
                "enc-model's pick is the top candidate by metric");
        assertEquals(model.configuration(), seen.get(0), "candidates go to the oracle best-first");
    }

    @Test
    void withoutAnOracleItAsksForAModel() {
        SelectionProblem p = SelectionProblem.builder(ReferenceProfiles.vgg16())
                .targetFlops(0.25)
                .build();
        UserInputException e = assertThrows(UserInputException.class, () -> new EncInf().select(p));
        assertTrue(e.getMessage().startsWith("enc-inf needs a model"), e.getMessage());
    }
}
