package io.rankforge.jobs.benchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import io.rankforge.io.Sha256;
import io.rankforge.jobs.store.ResultStore;
import io.rankforge.zoo.ZooArchitecture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The benchmark's driver-side files on an output that is a Hadoop URI (hdfs://, s3a://): the trained models and the
 * leaderboard are made in a local folder (DL4J and the charts write local files) and published under the output,
 * each file whole or not at all, summary.json last. A driver on another machine, or one whose local folder was
 * cleared, pulls the published models back first, so reuse by digest works across drivers as it does locally.
 */
final class PublishedOutput {
    /** A trained model's files: the model, its sidecar and its training stamp. */
    private static final List<String> MODEL_SUFFIXES = List.of(".zip", ".json", ".zip.training.json");

    private final ResultStore store;
    private final Path local;
    private final Consumer<String> notes;

    PublishedOutput(ResultStore store, Path local, Consumer<String> notes) {
        this.store = store;
        this.local = local;
        this.notes = notes;
    }

    /** Copies the published files of {@code a}'s model into the local folder when the local one has no model. */
    void pullModel(ZooArchitecture a) {
        Path zip = modelFile(a, ".zip");
        if (Files.exists(zip) || !store.exists(remote(a, ".zip"))) {
            return;
        }
        for (String suffix : MODEL_SUFFIXES) {
            org.apache.hadoop.fs.Path r = remote(a, suffix);
            if (store.exists(r)) {
                store.download(r, modelFile(a, suffix));
            }
        }
        notes.accept(a.id() + ": fetched the published model " + remote(a, ".zip"));
    }

    /** Publishes every file of {@code a}'s local model that the output lacks or holds in another version. */
    void pushModel(ZooArchitecture a) {
        for (String suffix : MODEL_SUFFIXES) {
            Path f = modelFile(a, suffix);
            org.apache.hadoop.fs.Path r = remote(a, suffix);
            if (Files.exists(f) && !(store.exists(r) && sameBytes(f, r))) {
                store.upload(f, r);
            }
        }
    }

    /**
     * Publishes leaderboard.md and the leaderboard/ folder, then summary.json (naming the published files), last:
     * its presence under the output means the leaderboard beside it is complete. Returns the summary as published.
     */
    ObjectNode publishLeaderboard(ObjectNode summary) {
        store.upload(local.resolve("leaderboard.md"), store.path("leaderboard.md"));
        try (Stream<Path> files = Files.list(local.resolve("leaderboard"))) {
            for (Path f : files.sorted().toList()) {
                store.upload(f, store.path("leaderboard/" + f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + local.resolve("leaderboard") + ": " + e.getMessage(), e);
        }
        summary.put("leaderboard_md", store.path("leaderboard.md").toString());
        summary.put("report", store.path("leaderboard/index.html").toString());
        summary.put("local_dir", local.toString());
        String text = Json.pretty(summary) + "\n";
        AtomicFiles.writeString(local.resolve("summary.json"), text);
        store.writeText(store.path("summary.json"), text);
        return summary;
    }

    private Path modelFile(ZooArchitecture a, String suffix) {
        return local.resolve("models").resolve(a.id() + suffix);
    }

    private org.apache.hadoop.fs.Path remote(ZooArchitecture a, String suffix) {
        return store.path("models/" + a.id() + suffix);
    }

    private boolean sameBytes(Path f, org.apache.hadoop.fs.Path r) {
        try (InputStream in = store.fs().open(r)) {
            return Sha256.of(in).equals(Sha256.of(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + r + ": " + e.getMessage(), e);
        }
    }
}
