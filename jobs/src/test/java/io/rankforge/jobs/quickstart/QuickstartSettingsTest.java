package io.rankforge.jobs.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedConfigurationIsValidAndOutPointsEverythingAtDir() {
        QuickstartSettings s =
                QuickstartSettings.load(QuickstartSettings.defaultConfFile(), List.of(), tmp.resolve("study"));
        assertEquals(tmp.resolve("study"), s.out());
        assertEquals("vgg-mini", s.model());
        assertEquals(tmp.resolve("study/model/vgg-mini.zip"), s.modelFile());
        assertEquals(tmp.resolve("study").toString(), s.job().experiment().output());
        assertEquals(List.of(s.modelFile().toString()), s.job().experiment().models());
        assertEquals(List.of(0.25, 0.5, 0.75), s.job().select().budgets());
        assertTrue(
                s.job().sweep().samplesPerStratum() * s.job().sweep().strata().size() >= 60,
                "the quickstart sweeps at least 60 sampled configurations");
        assertTrue(
                s.job().sweep().samplesPerStratum() >= 20
                        && !s.job().sweep().fineTune().sampleStrata().isEmpty(),
                "every sample of at least one stratum (>= 20 samples) is fine-tuned");
    }

    @Test
    void overridesChangeTheTrainingSettingsThatDecideReuse() {
        QuickstartSettings a = QuickstartSettings.load(QuickstartSettings.defaultConfFile(), List.of(), tmp);
        QuickstartSettings b = QuickstartSettings.load(
                QuickstartSettings.defaultConfFile(), List.of("quickstart.train.images=3000"), tmp);
        assertEquals(3000, b.trainImages());
        assertNotEquals(a.trainingSettings(), b.trainingSettings());
    }

    @Test
    void unknownKeysAndMissingFilesAreUserErrorsNamingThem() throws Exception {
        var e = assertThrows(
                UserInputException.class,
                () -> QuickstartSettings.load(
                        QuickstartSettings.defaultConfFile(), List.of("quickstart.train.epoch=3"), tmp));
        assertTrue(e.getMessage().contains("rankforge.quickstart.train.epoch"), e.getMessage());
        Path missing = tmp.resolve("nope.conf");
        var m = assertThrows(UserInputException.class, () -> QuickstartSettings.load(missing, List.of(), tmp));
        assertTrue(m.getMessage().contains(missing.toString()), m.getMessage());
        Path bad = Files.writeString(tmp.resolve("bad.conf"), "rankforge { quickstart.train.epochs = 0 }");
        var z = assertThrows(UserInputException.class, () -> QuickstartSettings.load(bad, List.of(), tmp));
        assertTrue(z.getMessage().contains("rankforge.quickstart.train.epochs"), z.getMessage());
    }
}
