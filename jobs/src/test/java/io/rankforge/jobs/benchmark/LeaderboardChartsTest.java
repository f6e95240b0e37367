package io.rankforge.jobs.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation study's ρ figure: drawn from the strata that have a ρ, none when every stratum has too few. */
class LeaderboardChartsTest {
    @TempDir
    Path dir;

    static LeaderboardValidation row(String model, String stratum, String metric, Double rho, boolean tooFew) {
        return new LeaderboardValidation(
                model,
                stratum,
                "accuracy_finetuned",
                metric,
                tooFew ? 4 : 30,
                tooFew,
                rho,
                rho == null ? null : rho - 0.2,
                rho == null ? null : rho + 0.1);
    }

    @Test
    void aFigurePerGroundTruthFromTheStrataWithARho() throws Exception {
        List<LeaderboardValidation> rows = List.of(
                row("vgg-mini", "50%", "a_m", 0.61, false),
                row("vgg-mini", "50%", "a_p", 0.32, false),
                row("resnet-20", "25%", "a_m", -0.12, false),
                row("resnet-20", "75%", "a_m", null, true));
        Optional<String> file = LeaderboardCharts.rho(rows, "accuracy_finetuned", dir);
        assertEquals(Optional.of("rho-accuracy_finetuned.png"), file);
        BufferedImage png = ImageIO.read(dir.resolve(file.orElseThrow()).toFile());
        assertTrue(png.getWidth() > 500 && png.getHeight() > 300, "a readable figure");
        assertEquals(Optional.empty(), LeaderboardCharts.rho(rows, "accuracy", dir), "no rows of that ground truth");
    }

    @Test
    void noFigureWhenEveryStratumHasTooFewSamples() {
        List<LeaderboardValidation> rows =
                List.of(row("vgg-mini", "50%", "a_m", null, true), row("lenet5", "50%", "a_p", null, true));
        assertEquals(Optional.empty(), LeaderboardCharts.rho(rows, "accuracy_finetuned", dir));
        assertEquals(0, dir.toFile().list().length, "nothing written");
    }
}
