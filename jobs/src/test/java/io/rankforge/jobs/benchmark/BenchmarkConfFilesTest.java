package io.rankforge.jobs.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.zoo.ZooArchitecture;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped benchmark configurations load into typed settings and say what docs/benchmark.md says they do. */
class BenchmarkConfFilesTest {
    private static Path conf(String name) {
        return Path.of(System.getProperty("rankforge.repo.root", ".."))
                .resolve("conf")
                .resolve(name);
    }

    @Test
    void theFullZooRunsEveryModelAndTheValidationStudy() {
        BenchmarkSettings s = BenchmarkSettings.load(conf("zoo-benchmark.conf"), List.of());
        assertEquals(Set.of(ZooArchitecture.values()), Set.copyOf(s.models()), "every zoo model");
        assertTrue(s.validation(), "the validation study runs on every model in the same experiment");
        assertFalse(s.job().sweep().includeMethodPicks(), "the study's correlations use its random samples only");
        assertEquals(3, s.seeds());
    }

    @Test
    void theSmallRunLoadsToo() {
        BenchmarkSettings s = BenchmarkSettings.load(conf("zoo-benchmark-small.conf"), List.of());
        assertFalse(s.models().isEmpty());
        assertEquals(
                2, s.referenceProfiles().size(), "the paper's VGG-16 and ResNet-56, found from any working folder");
    }

    @Test
    void theDriversTrainingRunsOnAFixedThreadCount() {
        BenchmarkSettings every = BenchmarkSettings.load(conf("zoo-benchmark-small.conf"), List.of());
        assertEquals(Runtime.getRuntime().availableProcessors(), every.trainThreads(), "0 = every core");
        BenchmarkSettings one =
                BenchmarkSettings.load(conf("zoo-benchmark-small.conf"), List.of("benchmark.train.threads=1"));
        assertEquals(1, one.trainThreads());
    }

    @Test
    void theFullConfFineTunesAsCompressDoes() {
        BenchmarkSettings s = BenchmarkSettings.load(conf("zoo-benchmark.conf"), List.of());
        assertEquals(io.rankforge.compress.FineTuneSchedule.DEFAULT_EPOCHS, s.fineTuneEpochs());
        assertEquals(io.rankforge.compress.FineTuneSchedule.DEFAULT_LEARNING_RATE, s.learningRate());
    }

    @Test
    void theOutputIsRemoteExactlyWhenHadoopReadsAnotherScheme() {
        for (String remote : List.of("hdfs://nn:8020/b", "hdfs:/b", "s3a://bucket/b")) {
            assertTrue(BenchmarkSettings.isRemote(remote), remote);
        }
        for (String local : List.of("runs/b", "/tmp/b", "file:///tmp/b", "file:/tmp/b", "")) {
            assertFalse(BenchmarkSettings.isRemote(local), local);
        }
        BenchmarkSettings s = BenchmarkSettings.load(
                conf("zoo-benchmark-small.conf"), List.of("experiment.output=\"file:///tmp/rankforge-b\""));
        assertEquals(Path.of("/tmp/rankforge-b"), s.out(), "a file: URI is the local folder it names");
        assertEquals("/tmp/rankforge-b/models/lenet5.zip", s.modelUri(ZooArchitecture.LENET5));
    }
}
