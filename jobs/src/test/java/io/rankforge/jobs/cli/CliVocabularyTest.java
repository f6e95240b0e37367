package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Core's field names become each command's own names for its inputs. */
class CliVocabularyTest {
    static final String CORE = "targetFlops 0.05 is below the cheapest configuration: raise targetFlops or lower "
            + "minRankFraction (dataDir stays, target flops stay)";

    @Test
    void flagDrivenCommandsSeeFlags() {
        assertEquals(
                "--target-flops 0.05 is below the cheapest configuration: raise --target-flops or lower "
                        + "--min-rank-fraction (--data-dir stays, target flops stay)",
                CliVocabulary.rewrite(CORE, CliVocabulary.names("rankforge select", false)));
    }

    @Test
    void aCommandMayNameAFieldItsOwnWay() {
        assertEquals(
                "no such directory; leave --dir out",
                CliVocabulary.rewrite(
                        "no such directory; leave dataDir out", CliVocabulary.names("rankforge data fetch", false)));
        assertEquals(
                "--reference x does not exist",
                CliVocabulary.rewrite("profilePath x does not exist", CliVocabulary.names("rankforge profile", false)));
        assertEquals(
                "--profile x does not exist",
                CliVocabulary.rewrite("profilePath x does not exist", CliVocabulary.names("rankforge select", false)));
    }

    @Test
    void configurationDrivenCommandsSeeConfigurationKeys() {
        assertEquals(
                "rankforge.select.budgets 0.05 is below the cheapest configuration: raise rankforge.select.budgets or "
                        + "lower rankforge.select.min-rank-fraction (rankforge.data.dir stays, target flops stay)",
                CliVocabulary.rewrite(CORE, CliVocabulary.names("rankforge select", true)));
    }

    @Test
    void wordsThatAreNoFieldStay() {
        String s = "file /tmp/x.prototxt has no layer named targetflops; see Main.java";
        assertEquals(s, CliVocabulary.rewrite(s, CliVocabulary.names("rankforge select", false)));
    }
}
