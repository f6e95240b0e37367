package io.rankforge.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankChoiceTest {
    // conv1: channel scheme (first conv) 6 × 25 → full rank 6; conv2: spatial (6·3) × (3·12) → 18; fc: 40 × 432 → 40
    static final DecompositionPlan PLAN = DecompositionPlan.withDefaultSchemes(new NetworkDescription(
            List.of(
                    LayerSpec.convolution("conv1", 1, 6, 5, 5, 1, 1, 0, 0, 28, 28, 24, 24, true),
                    LayerSpec.convolution("conv2", 6, 12, 3, 3, 2, 2, 1, 1, 12, 12, 6, 6, true),
                    LayerSpec.dense("fc", 432, 40, true)),
            1,
            1,
            List.of()));

    @TempDir
    Path dir;

    @Test
    void keywordsAndFiles() throws Exception {
        assertEquals(Map.of(), RankChoice.resolve("original", PLAN).ranks());
        assertEquals(
                Map.of("conv1", 6, "conv2", 18, "fc", 40),
                RankChoice.resolve("full", PLAN).ranks());
        // r_max: conv1 25·6/(25+6) = 4.84 → 5; conv2 6·12·9/(18+36) = 12; fc 432·40/472 = 36.6 → 37
        assertEquals(
                Map.of("conv1", 5, "conv2", 12, "fc", 37),
                RankChoice.resolve("rmax", PLAN).ranks());
        Path f = Files.writeString(dir.resolve("r.json"), "{\"conv2\": 4, \"fc\": 10}");
        RankConfiguration c = RankChoice.resolve(f.toString(), PLAN);
        assertEquals(List.of("conv2", "fc"), List.copyOf(c.ranks().keySet()));
        assertEquals(4, c.rank("conv2"));
    }

    @Test
    void badFilesAreRejectedNamingTheProblem() throws Exception {
        Path unknown = Files.writeString(dir.resolve("u.json"), "{\"conv9\": 4, \"fc\": 41, \"conv1\": 0}");
        var e = assertThrows(UserInputException.class, () -> RankChoice.resolve(unknown.toString(), PLAN));
        assertTrue(
                e.getMessage().contains("'conv9'")
                        && e.getMessage().contains("'fc' = 41 (allowed 1..40)")
                        && e.getMessage().contains("'conv1' = 0"),
                e.getMessage());
        var missing = assertThrows(
                UserInputException.class,
                () -> RankChoice.resolve(dir.resolve("nope.json").toString(), PLAN));
        assertTrue(
                missing.getMessage().contains("nope.json")
                        && missing.getMessage().contains("no such file"),
                missing.getMessage());
        Path notObject = Files.writeString(dir.resolve("a.json"), "[1, 2]");
        assertThrows(UserInputException.class, () -> RankChoice.resolve(notObject.toString(), PLAN));
        Path broken = Files.writeString(dir.resolve("b.json"), "{\"fc\": ");
        assertThrows(UserInputException.class, () -> RankChoice.resolve(broken.toString(), PLAN));
        Path fractional = Files.writeString(dir.resolve("c.json"), "{\"fc\": 2.5}");
        var fe = assertThrows(UserInputException.class, () -> RankChoice.resolve(fractional.toString(), PLAN));
        assertTrue(fe.getMessage().contains("'fc' = 2.5"), fe.getMessage());
    }

    /** Issue 15, items 6 and 8: long listings are capped; a directory and a layer named twice are named as such. */
    @Test
    void hostileRanksFilesGetShortPreciseMessages() throws Exception {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < 200_000; i++) {
            b.append(i == 0 ? "" : ",").append("\"layer_").append(i).append("\": 3");
        }
        Path many = Files.writeString(dir.resolve("many.json"), b.append('}').toString());
        var e = assertThrows(UserInputException.class, () -> RankChoice.resolve(many.toString(), PLAN));
        assertTrue(e.getMessage().contains("and 199,990 more"), e.getMessage());
        assertTrue(
                e.getMessage().length() < 1500,
                "one short line: " + e.getMessage().length() + " characters");

        Path folder = Files.createDirectory(dir.resolve("ranks.json"));
        var d = assertThrows(UserInputException.class, () -> RankChoice.resolve(folder.toString(), PLAN));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());

        Path twice = Files.writeString(dir.resolve("twice.json"), "{\"conv2\": 3, \"conv2\": 4}");
        var t = assertThrows(UserInputException.class, () -> RankChoice.resolve(twice.toString(), PLAN));
        assertTrue(t.getMessage().contains("conv2") && t.getMessage().contains("Duplicate"), t.getMessage());
    }
}
