package io.rankforge.io;

import io.rankforge.UserInputException;
import java.util.Locale;

/**
 * The most RankForge reads from a user's file, in one place (docs/reliability.md lists them). Every limit is checked
 * against a declared size (a file's length, a zip entry's size, a header's counts) before anything is allocated, and
 * again while the bytes stream in ({@link BoundedInput}), so that a file that lies about its size (a zip bomb) is
 * stopped at the limit. Each can be raised for one run with a system property, e.g.
 * {@code RANKFORGE_JAVA_OPTS=-Drankforge.limits.model-bytes=4g}, for a user whose legitimate files are larger.
 *
 * @param modelBytes a model: the file (.zip, .caffemodel, .h5, .onnx with its external data), and for a DL4J zip the
 *     uncompressed size of its entries together
 * @param jsonBytes a JSON file: a ranks file, a model sidecar, a profile, a DL4J model's configuration.json
 * @param textBytes a text file: a Caffe prototxt, a HOCON configuration, a reference profile's tables
 * @param datasetBytes one dataset file, after decompression (IDX images or labels, a CIFAR-10 batch)
 * @param zipEntries the number of entries in a DL4J model zip
 * @param gridPoints the points of a Pareto grid ({@code select --pareto STEP} asks for 1/STEP of them)
 */
public record InputLimits(
        long modelBytes, long jsonBytes, long textBytes, long datasetBytes, long zipEntries, long gridPoints) {

    /** The property prefix: {@code rankforge.limits.model-bytes} and so on. */
    public static final String PREFIX = "rankforge.limits.";

    public static final long DEFAULT_MODEL_BYTES = 1L << 30;
    public static final long DEFAULT_JSON_BYTES = 64L << 20;
    public static final long DEFAULT_TEXT_BYTES = 16L << 20;
    public static final long DEFAULT_DATASET_BYTES = 1L << 30;
    public static final long DEFAULT_ZIP_ENTRIES = 10_000;
    public static final long DEFAULT_GRID_POINTS = 10_000;

    public InputLimits {
        positive("modelBytes", modelBytes);
        positive("jsonBytes", jsonBytes);
        positive("textBytes", textBytes);
        positive("datasetBytes", datasetBytes);
        positive("zipEntries", zipEntries);
        positive("gridPoints", gridPoints);
    }

    /** The limits in force: the defaults, each replaced by its system property when that is set. */
    public static InputLimits current() {
        return new InputLimits(
                property("model-bytes", DEFAULT_MODEL_BYTES),
                property("json-bytes", DEFAULT_JSON_BYTES),
                property("text-bytes", DEFAULT_TEXT_BYTES),
                property("dataset-bytes", DEFAULT_DATASET_BYTES),
                property("zip-entries", DEFAULT_ZIP_ENTRIES),
                property("grid-points", DEFAULT_GRID_POINTS));
    }

    /** How to raise the limit named {@code key} (e.g. "model-bytes"), for the end of a message. */
    public static String howToRaise(String key) {
        return "raise it with -D" + PREFIX + key + "=N in RANKFORGE_JAVA_OPTS (docs/reliability.md)";
    }

    private static long property(String key, long fallback) {
        String v = System.getProperty(PREFIX + key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        long parsed = parseSize(v);
        if (parsed <= 0) {
            throw new UserInputException("system property " + PREFIX + key + "=" + v
                    + " is not a positive number (bytes, or with k, m or g: 512m, 2g)");
        }
        return parsed;
    }

    /** "123", "64k", "512m", "2g" (binary units); -1 when it is none of these. */
    static long parseSize(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (s.endsWith("k")) {
            shift = 10;
        } else if (s.endsWith("m")) {
            shift = 20;
        } else if (s.endsWith("g")) {
            shift = 30;
        }
        if (shift > 0) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            return n > 0 && n <= (Long.MAX_VALUE >> shift) ? n << shift : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
