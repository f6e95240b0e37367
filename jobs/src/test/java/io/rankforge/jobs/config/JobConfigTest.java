package io.rankforge.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("exp.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsComeFromReferenceConf() {
        JobConfig c = JobConfig.load(null, List.of());
        assertEquals("local[*]", c.spark().master());
        assertEquals(List.of(0.1, 0.15, 0.2, 0.4, 1.0), c.sensitivity().fractions());
        assertEquals(3, c.sweep().strata().size());
        assertEquals(0.25, c.sweep().strata().get(0).target(), 1e-12);
        assertEquals(0.245, c.sweep().strata().get(0).low(), 1e-12, "window 0.005 below the target");
        assertEquals("25%", c.sweep().strata().get(0).label());
        assertEquals(List.of(), c.sweep().fineTune().sampleStrata());
        assertEquals(0.1, c.validate().topFraction(), 0);
        assertEquals(10, c.validate().minSamples());
        assertFalse(c.sweep().fineTune().enabled());
        assertEquals(5000, c.data().heldOut());
        assertEquals(500, c.data().calibrationImages(), "batch-norm recalibration is on by default");
        assertEquals(
                0,
                JobConfig.load(null, List.of("data.calibration-images=0"))
                        .data()
                        .calibrationImages(),
                "0 switches it off");
        assertTrue(c.resolvedJson().contains("\"samples-per-stratum\""));
    }

    @Test
    void fileAndSetOverridesLayerInThatOrder() throws Exception {
        Path f = file("""
                rankforge.experiment { name = small, seed = 7, output = "/tmp/x" }
                rankforge.sweep.samples-per-stratum = 4
                rankforge.spark.properties { "spark.executor.memory" = 2g }
                """);
        JobConfig c = JobConfig.load(
                f,
                List.of(
                        "sweep.samples-per-stratum=9",
                        "rankforge.experiment.seed=8",
                        "experiment.output=hdfs://nn:8020/a/b"));
        assertEquals(9, c.sweep().samplesPerStratum());
        assertEquals(8, c.experiment().seed());
        assertEquals("small", c.experiment().name());
        assertEquals("hdfs://nn:8020/a/b", c.experiment().output());
        assertEquals("2g", c.spark().properties().get("spark.executor.memory"));
    }

    @Test
    void setTakesSparkMastersAsTheyAreWritten() {
        // the --set help's example: unquoted, local[2] is not valid HOCON (a string followed by a list)
        assertEquals(
                "local[2]",
                JobConfig.load(null, List.of("spark.master=local[2]")).spark().master());
        assertEquals(
                "local[*]",
                JobConfig.load(null, List.of("spark.master=local[*]")).spark().master());
        assertEquals(
                "spark://10.0.0.5:7077",
                JobConfig.load(null, List.of("spark.master=spark://10.0.0.5:7077"))
                        .spark()
                        .master());
        assertEquals(
                "local[1]",
                JobConfig.load(null, List.of("spark.master=\"local[1]\""))
                        .spark()
                        .master());
        // a list where a list belongs still parses as HOCON
        assertEquals(
                List.of(0.3, 0.6),
                JobConfig.load(null, List.of("sweep.strata=[0.3, 0.6]")).sweep().strata().stream()
                        .map(SweepSettings.Stratum::target)
                        .toList());
    }

    @Test
    void unknownKeyIsRejectedNamingKeyAndFileLine() throws Exception {
        Path f = file("rankforge {\n  sweep {\n    samples-per-bnd = 3\n  }\n}\n");
        UserInputException e = assertThrows(UserInputException.class, () -> JobConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("rankforge.sweep.samples-per-bnd"), e.getMessage());
        assertTrue(e.getMessage().contains("exp.conf:3"), e.getMessage());
        assertTrue(e.getMessage().contains("samples-per-stratum"), "suggests the known keys: " + e.getMessage());
    }

    @Test
    void unknownKeyFromSetIsRejected() {
        UserInputException e =
                assertThrows(UserInputException.class, () -> JobConfig.load(null, List.of("sweep.nope=1")));
        assertTrue(
                e.getMessage().contains("rankforge.sweep.nope")
                        && e.getMessage().contains("--set"),
                e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndFile() throws Exception {
        Path f = file("rankforge.sweep.samples-per-stratum = lots\n");
        UserInputException e = assertThrows(UserInputException.class, () -> JobConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("rankforge.sweep.samples-per-stratum"), e.getMessage());
        assertTrue(e.getMessage().contains("exp.conf"), e.getMessage());
    }

    @Test
    void invalidValuesAreRejected() throws Exception {
        String[][] cases = {
            {"rankforge.sweep.strata = [1.5]", "rankforge.sweep.strata"},
            {"rankforge.sweep.strata = []", "rankforge.sweep.strata"},
            {"rankforge.sweep.strata = [0.5, 0.503]", "overlap"},
            {"rankforge.sweep.window = 0.05", "rankforge.sweep.window"},
            {"rankforge.sweep.window = 0", "rankforge.sweep.window"},
            {"rankforge.sweep.fine-tune.sample-strata = [0.4]", "rankforge.sweep.fine-tune.sample-strata"},
            {"rankforge.validate.top-fraction = 0", "rankforge.validate.top-fraction"},
            {"rankforge.validate.min-samples = 1", "rankforge.validate.min-samples"},
            {"rankforge.select.methods = [enc-map, magic]", "magic"},
            {"rankforge.select.budgets = [0]", "rankforge.select.budgets"},
            {"rankforge.data.measure-images = 6000", "rankforge.data.measure-images"},
            {"rankforge.data.calibration-images = 1", "rankforge.data.calibration-images"},
            {"rankforge.data.calibration-images = 20000", "rankforge.data.calibration-images"},
            {"rankforge.sensitivity.fractions = [0.5, 0.2]", "increasing"},
            {"rankforge.select.metric = accuracy", "rankforge.select.metric"},
            {"rankforge.validate.confidence = 1", "rankforge.validate.confidence"},
            {"rankforge.sweep.fine-tune.learning-rate = 0", "learning-rate"},
            {"rankforge.profile.exclude-pattern = \"(\"", "regular expression"},
            {"rankforge.spark.properties { executor-memory = 2g }", "spark."},
            {"rankforge.experiment.name = \"a b\"", "rankforge.experiment.name"},
        };
        for (String[] c : cases) {
            Path f = file(c[0] + "\n");
            UserInputException e = assertThrows(UserInputException.class, () -> JobConfig.load(f, List.of()), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("exp.conf"), "names the file: " + e.getMessage());
        }
    }

    @Test
    void malformedHoconAndMissingFile() throws Exception {
        Path f = file("rankforge { sweep { \n");
        UserInputException e = assertThrows(UserInputException.class, () -> JobConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("exp.conf"), e.getMessage());
        UserInputException m =
                assertThrows(UserInputException.class, () -> JobConfig.load(dir.resolve("nope.conf"), List.of()));
        assertTrue(m.getMessage().contains("nope.conf"), m.getMessage());
        assertThrows(UserInputException.class, () -> JobConfig.load(null, List.of("novalue")));
    }

    @Test
    void shippedExampleFilesAreValid() {
        Path root = Path.of(System.getProperty("rankforge.repo.root", "..")).resolve("conf");
        assertTrue(Files.isDirectory(root), "conf/ exists at " + root);
        for (String name : List.of("local-small.conf", "cluster.conf")) {
            JobConfig c = JobConfig.load(root.resolve(name), List.of());
            assertTrue(c.experiment().hasModels(), name + " names models");
        }
    }
}
