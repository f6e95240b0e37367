package io.rankforge.jobs.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedModelCacheTest {
    @TempDir
    Path tmp;

    private static ObjectNode settings(long seed) {
        ObjectNode o = Json.object();
        o.put("model", "vgg-mini");
        o.put("epochs", 1);
        o.put("held_out_seed", seed); // a long: read back from the stamp it may be an int node
        return o;
    }

    @Test
    void reusesOnlyTheSameFileTrainedWithTheSameSettings() throws Exception {
        Path model = tmp.resolve("model/vgg-mini.zip");
        TrainedModelCache cache = TrainedModelCache.at(model);
        assertTrue(cache.reusable(settings(7)).isEmpty(), "nothing stored yet");

        Files.createDirectories(model.getParent());
        Files.write(model, new byte[] {1, 2, 3});
        String digest = cache.record(settings(7), 12.5, 0.9, 500);
        assertEquals(TrainedModelCache.sha256(model), digest);
        assertEquals(digest, cache.reusable(settings(7)).orElseThrow());
        assertEquals(0.9, cache.stamp().path("test_accuracy").asDouble());

        assertTrue(cache.reusable(settings(8)).isEmpty(), "other training settings");
        Files.write(model, new byte[] {1, 2, 4});
        assertTrue(cache.reusable(settings(7)).isEmpty(), "the file changed since it was recorded");
    }
}
