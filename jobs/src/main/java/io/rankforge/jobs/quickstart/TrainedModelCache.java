package io.rankforge.jobs.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Decides whether the quickstart can reuse the model a previous run trained. A stamp file beside the
 * model records the training settings and the SHA-256 of the model file that they produced; the
 * model is reused only when both match (same settings, file unchanged since it was written).
 */
public final class TrainedModelCache {
    private final Path model;
    private final Path stamp;

    private TrainedModelCache(Path model) {
        this.model = model;
        this.stamp = model.resolveSibling(model.getFileName() + ".training.json");
    }

    public static TrainedModelCache at(Path modelFile) {
        return new TrainedModelCache(modelFile.toAbsolutePath());
    }

    public Path modelFile() {
        return model;
    }

    /** The digest of the stored model when it was trained with exactly {@code settings} and is intact. */
    public Optional<String> reusable(JsonNode settings) {
        if (!Files.isRegularFile(model) || !Files.isRegularFile(stamp)) {
            return Optional.empty();
        }
        JsonNode s;
        try {
            s = Json.MAPPER.readTree(stamp.toFile());
        } catch (IOException e) {
            return Optional.empty(); // unreadable stamp: train again
        }
        // compare as JSON text: a long written and read back may come back as an int node
        if (!Json.line(settings).equals(Json.line(s.path("settings")))) {
            return Optional.empty();
        }
        String digest = sha256(model);
        return digest.equals(s.path("sha256").asText()) ? Optional.of(digest) : Optional.empty();
    }

    /** Updates the stamp's test accuracy (measured again on another number of test images). */
    public void recordAccuracy(double testAccuracy, int testImages) {
        ObjectNode o = (ObjectNode) stamp();
        o.put("test_accuracy", testAccuracy);
        o.put("test_images", testImages);
        AtomicFiles.writeString(stamp, Json.pretty(o) + "\n");
    }

    /** Records that the model file now on disk was trained with {@code settings}; returns its digest. */
    public String record(JsonNode settings, double trainSeconds, double testAccuracy, int testImages) {
        String digest = sha256(model);
        ObjectNode o = Json.object();
        o.set("settings", settings);
        o.put("sha256", digest);
        o.put("train_seconds", trainSeconds);
        o.put("test_accuracy", testAccuracy);
        o.put("test_images", testImages);
        AtomicFiles.writeString(stamp, Json.pretty(o) + "\n");
        return digest;
    }

    /** What the stamp says about the stored model (train seconds, test accuracy); empty object when none. */
    public JsonNode stamp() {
        try {
            return Files.isRegularFile(stamp) ? Json.MAPPER.readTree(stamp.toFile()) : Json.object();
        } catch (IOException e) {
            return Json.object();
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
