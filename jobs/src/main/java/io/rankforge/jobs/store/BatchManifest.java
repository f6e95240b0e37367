package io.rankforge.jobs.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The commit record of one write-once batch: the folder beside it that holds the batch's data files, each
 * file's name and length, and the number of rows. It is written last and never renamed, so its presence
 * (complete: it parses, every field there) is what makes the batch committed. A manifest cut short by a
 * crash does not parse and counts as no batch.
 *
 * @param folder the data folder's name, beside the manifest
 * @param files the data files' names inside it
 * @param lengths each file's length in bytes, in the order of {@code files}
 * @param rows rows in the batch
 */
public record BatchManifest(String folder, List<String> files, List<Long> lengths, long rows) {
    /** How a manifest's file name ends. */
    public static final String SUFFIX = ".manifest.json";

    public BatchManifest {
        if (folder == null || folder.isEmpty() || folder.contains("/")) {
            throw new IllegalArgumentException("folder must be a plain name: " + folder);
        }
        files = List.copyOf(files);
        lengths = List.copyOf(lengths);
        if (files.isEmpty() || files.size() != lengths.size()) {
            throw new IllegalArgumentException(
                    "files (" + files.size() + ") and lengths (" + lengths.size() + ") must match and not be empty");
        }
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
    }

    /** Writes the manifest at {@code target} in one create that fails if it exists (no rename). */
    public void write(ResultStore store, Path target) throws IOException {
        ObjectNode o = Json.object();
        o.put("folder", folder);
        ArrayNode fs = o.putArray("files");
        for (int i = 0; i < files.size(); i++) {
            fs.addObject().put("name", files.get(i)).put("length", lengths.get(i));
        }
        o.put("rows", rows);
        byte[] bytes = Json.pretty(o).getBytes(StandardCharsets.UTF_8);
        try (FSDataOutputStream out = store.rawFs().create(target, false)) {
            int half = bytes.length / 2;
            out.write(bytes, 0, half);
            out.hflush();
            FaultPoints.reach("journal-manifest"); // half a manifest: must read as no batch
            out.write(bytes, half, bytes.length - half);
        }
    }

    /** The manifest at {@code p}, or null when it is incomplete (cut short, or missing a field). */
    public static BatchManifest read(ResultStore store, Path p) {
        String text;
        try (InputStream in = store.rawFs().open(p)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
        try {
            JsonNode o = Json.MAPPER.readTree(text);
            if (o == null
                    || !o.isObject()
                    || !o.path("files").isArray()
                    || !o.path("rows").canConvertToLong()) {
                return null;
            }
            List<String> names = new ArrayList<>();
            List<Long> lengths = new ArrayList<>();
            for (JsonNode f : o.get("files")) {
                if (!f.path("name").isTextual() || !f.path("length").canConvertToLong()) {
                    return null;
                }
                names.add(f.get("name").asText());
                lengths.add(f.get("length").asLong());
            }
            return new BatchManifest(
                    o.path("folder").asText(""), names, lengths, o.get("rows").asLong());
        } catch (IOException | IllegalArgumentException e) {
            return null; // cut short by a crash: no batch
        }
    }

    /**
     * The data files this manifest lists under {@code dir}, each checked to exist with its recorded length:
     * a committed batch never changes, so a difference means the journal was changed by hand.
     */
    public List<Path> check(ResultStore store, Path dir, Path manifest) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = new Path(new Path(dir, folder), files.get(i));
            long len;
            try {
                FileStatus st = store.fs().getFileStatus(f);
                len = st.getLen();
            } catch (FileNotFoundException e) {
                len = -1;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot check " + f + ": " + e.getMessage(), e);
            }
            if (len != lengths.get(i)) {
                throw new IllegalStateException("journal batch " + manifest + " lists " + f + " of " + lengths.get(i)
                        + " bytes, but it " + (len < 0 ? "is missing" : "has " + len)
                        + ": the journal was changed by hand; delete " + manifest + " to rerun its trials");
            }
            out.add(f);
        }
        return out;
    }
}
