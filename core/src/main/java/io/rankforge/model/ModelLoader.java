package io.rankforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Json;
import io.rankforge.io.Sha256;
import io.rankforge.io.Sidecars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads any model file RankForge understands, chosen by file extension. To support a new format, add
 * one entry to {@link #READERS} (extension without dot → reader); nothing else dispatches on formats.
 */
public final class ModelLoader {
    /** A reader for one file format; it may assume the file exists and is readable. */
    @FunctionalInterface
    public interface Reader {
        LoadedModel read(Path file);
    }

    private static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("zip", Dl4jZipReader::read);
        READERS.put("caffemodel", f -> ImportedModelReader.read(f, null));
        READERS.put("h5", f -> ImportedModelReader.read(f, null));
        READERS.put("hdf5", f -> ImportedModelReader.read(f, null));
        READERS.put("onnx", f -> ImportedModelReader.read(f, null));
    }

    private ModelLoader() {}

    /** The model in {@code path}; a missing, unreadable or unsupported file is a UserInputException. */
    public static LoadedModel load(Path path) {
        requireReadable(path);
        Reader reader = READERS.get(extension(path));
        if (reader == null) {
            throw new UserInputException("model file " + path + " has an unsupported extension; supported: ."
                    + String.join(", .", READERS.keySet()));
        }
        return reader.read(path);
    }

    /**
     * Like {@link #load(Path)}, with a Caffe model's network definition given explicitly;
     * {@code prototxt} null means "beside the .caffemodel". Only a .caffemodel takes a prototxt.
     */
    public static LoadedModel load(Path path, Path prototxt) {
        if (prototxt == null) {
            return load(path);
        }
        requireReadable(path);
        if (!extension(path).equals("caffemodel")) {
            throw new UserInputException(
                    "prototxtFile " + prototxt + " applies to Caffe models (.caffemodel) only, not to " + path);
        }
        if (!Files.isRegularFile(prototxt) || !Files.isReadable(prototxt)) {
            throw new UserInputException("prototxtFile " + prototxt + " does not exist or is not a readable file");
        }
        return ImportedModelReader.read(path, prototxt);
    }

    private static void requireReadable(Path path) {
        if (path == null) {
            throw new UserInputException("no model file given: modelFile is required");
        }
        if (!Files.exists(path)) {
            throw new UserInputException("model file " + path
                    + " does not exist; train one with `rankforge zoo train` or pass an existing file");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new UserInputException("model file " + path + " is not a readable file");
        }
        // whatever the format, the whole file is read (and a model that size would not fit the memory bound)
        try {
            BoundedInput.checkDeclared(
                    Files.size(path), InputLimits.current().modelBytes(), "model file " + path, "model-bytes");
        } catch (java.io.IOException e) {
            throw new UserInputException("cannot read model file " + path + ": " + e.getMessage(), e);
        }
    }

    /** File extensions (no dot) that {@link #load} accepts. */
    public static java.util.Set<String> supportedExtensions() {
        return java.util.Collections.unmodifiableSet(READERS.keySet());
    }

    /** {@code dir/name.zip} → {@code dir/name.json}: where a model's JSON sidecar lives. */
    public static Path sidecarPath(Path model) {
        return Sidecars.pathOf(model);
    }

    /** The sidecar of {@code model}, or null when there is none; an unparseable one is a user error. */
    public static ObjectNode readSidecar(Path model) {
        Path side = sidecarPath(model);
        if (!Files.isRegularFile(side)) {
            return null;
        }
        String text =
                BoundedInput.readString(side, InputLimits.current().jsonBytes(), "model sidecar " + side, "json-bytes");
        JsonNode n = Json.parse(text, "model sidecar " + side);
        if (!(n instanceof ObjectNode o)) {
            throw new UserInputException("model sidecar " + side + " is not a JSON object");
        }
        return o;
    }

    static String digest(Path file) {
        return Sha256.of(file);
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
