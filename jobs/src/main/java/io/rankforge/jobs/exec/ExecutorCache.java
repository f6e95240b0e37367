package io.rankforge.jobs.exec;

import io.rankforge.RankConfiguration;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import io.rankforge.eval.DecomposedAccuracy;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;

/**
 * What an executor JVM keeps between tasks: each model loaded once (with its {@link Decomposer},
 * whose per-layer SVDs are then computed once and shared by every task on this executor), each
 * image set decoded once. Keyed by content digest, so a model changed on disk is a different entry.
 * Thread-safe: concurrent tasks of one executor share the entries (the Decomposer builds a new
 * network per call; loaded networks are only read).
 */
public final class ExecutorCache {
    /** A model as tasks use it. */
    public record CachedModel(LoadedModel loaded, Decomposer decomposer) {
        /**
         * The network compressed to {@code ranks}, its batch-norm statistics re-estimated from the
         * calibration images when there are any (null = the trained statistics): what every task measures.
         */
        public Model compress(RankConfiguration ranks, Broadcast<DataBlob> calibration) {
            return DecomposedAccuracy.compress(
                    decomposer, ranks, calibration == null ? null : data(calibration.value()));
        }
    }

    private static final Map<String, CachedModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, ImageDataset> DATA = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private ExecutorCache() {}

    public static CachedModel model(ModelBlob blob) {
        return MODELS.computeIfAbsent(blob.digest(), d -> load(blob));
    }

    public static ImageDataset data(DataBlob blob) {
        return DATA.computeIfAbsent(blob.digest(), d -> {
            LOADS.computeIfAbsent("data:" + d, k -> new AtomicInteger()).incrementAndGet();
            return blob.decode();
        });
    }

    /** How often this JVM loaded the model or decoded the images with this digest (tests: once). */
    public static int loads(String digest) {
        AtomicInteger m = LOADS.get("model:" + digest);
        AtomicInteger d = LOADS.get("data:" + digest);
        return (m == null ? 0 : m.get()) + (d == null ? 0 : d.get());
    }

    private static CachedModel load(ModelBlob blob) {
        LOADS.computeIfAbsent("model:" + blob.digest(), k -> new AtomicInteger())
                .incrementAndGet();
        try {
            Path dir = Files.createTempDirectory("rankforge-model-");
            Path file = dir.resolve(blob.fileName());
            Files.write(file, blob.bytes());
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            LoadedModel m = ModelLoader.load(file);
            return new CachedModel(m, Decomposer.withDefaultSchemes(m.model(), m.inputType()));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot stage model " + blob.name() + " on this executor: " + e.getMessage(), e);
        }
    }
}
