package io.rankforge.jobs.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.UserInputException;
import io.rankforge.jobs.config.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's networks beside the zoo: selections on the ENC reference data, without a network. */
class ReferenceSelectionsTest {
    private static final Path REF =
            Path.of(System.getProperty("rankforge.repo.root", "..")).resolve("reference/enc");

    @Test
    void everyMethodAtEveryBudgetOnBothNetworksAndEncInfSaysWhyNot() {
        JobConfig c = JobConfig.load(
                null, List.of("select.methods=[enc-map, optimal, enc-inf]", "select.budgets=[0.25, 0.5]"));
        List<String> notes = new ArrayList<>();
        JsonNode rows = ReferenceSelections.of(c, List.of(REF.resolve("vgg16"), REF.resolve("res56")), notes::add);
        assertEquals(2 * 2 * 3, rows.size());
        for (JsonNode r : rows) {
            if (r.path("method").asText().equals("enc-inf")) {
                assertTrue(r.path("failed").asText().contains("needs the network"), r.toString());
                continue;
            }
            assertFalse(r.has("failed"), r.toString());
            assertTrue(r.path("flops_ratio").asDouble() <= r.path("budget").asDouble() * (1 + 1e-9), r.toString());
            assertTrue(r.path("metric_value").isNumber());
        }
    }

    @Test
    void aMetricTheDataLacksIsARowWithItsReasonAndTheOthersGoOn() {
        JobConfig c =
                JobConfig.load(null, List.of("select.methods=[enc-map]", "select.budgets=[0.5]", "select.metric=pca"));
        List<String> notes = new ArrayList<>();
        JsonNode rows = ReferenceSelections.of(c, List.of(REF.resolve("res56"), REF.resolve("vgg16")), notes::add);
        assertEquals(2, rows.size());
        assertTrue(
                rows.get(0).path("failed").asText().contains("needs singular values"),
                rows.get(0).toString());
        assertEquals(1, notes.size(), "the console says it too: " + notes);
        assertFalse(rows.get(1).has("failed"), "vgg16 has spectra: " + rows.get(1));
    }

    @Test
    void aFolderThatIsNotReferenceDataIsNamed() {
        UserInputException e = assertThrows(
                UserInputException.class,
                () -> BenchmarkSettings.load(
                        REF.getParent().getParent().resolve("conf/zoo-benchmark-small.conf"),
                        List.of("benchmark.reference-profiles=[\"/tmp\"]")));
        assertTrue(e.getMessage().contains("rankforge.benchmark.reference-profiles"), e.getMessage());
        assertTrue(e.getMessage().contains("/tmp"), e.getMessage());
    }
}
