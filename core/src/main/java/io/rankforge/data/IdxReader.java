package io.rankforge.data;

import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST file format: a big-endian magic number, dimension sizes, then unsigned
 * bytes), raw or gzip-compressed. Compression is recognised by the gzip magic bytes, not the file name,
 * so a misnamed file still reads. Every structural problem is a {@link UserInputException} naming the file.
 */
public final class IdxReader {
    /** Magic of an unsigned-byte IDX file with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte IDX file with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            ByteBuffer b = header(in, file, 16);
            int magic = b.getInt();
            if (magic != IMAGES_MAGIC) {
                throw badMagic(file, magic, IMAGES_MAGIC);
            }
            int count = b.getInt(), rows = b.getInt(), cols = b.getInt();
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw corrupt(file, "impossible dimensions " + count + "x" + rows + "x" + cols);
            }
            byte[] pixels = body(in, file, (long) count * rows * cols);
            return new IdxImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw readFailure(file, e);
        }
    }

    /** Labels as ints in [0, 255] (0–9 for the MNIST family). */
    public static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            ByteBuffer b = header(in, file, 8);
            int magic = b.getInt();
            if (magic != LABELS_MAGIC) {
                throw badMagic(file, magic, LABELS_MAGIC);
            }
            int count = b.getInt();
            if (count < 0) {
                throw corrupt(file, "negative item count " + count);
            }
            byte[] raw = body(in, file, count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw readFailure(file, e);
        }
    }

    /** The file's bytes, gunzipped when the file starts with the gzip magic, at most the dataset limit of them. */
    public static byte[] readBytes(Path file) {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw readFailure(file, e);
        }
    }

    /**
     * The file's content as a stream, gunzipped when it starts with the gzip magic, stopped at
     * {@link InputLimits#datasetBytes()}: a small .gz can inflate without end.
     */
    private static InputStream open(Path file) throws IOException {
        long limit = InputLimits.current().datasetBytes();
        String what = "dataset file " + file;
        if (Files.isDirectory(file)) {
            throw new UserInputException(what + " is a directory; give the IDX file or the folder that holds it");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            BoundedInput.checkDeclared(Files.size(file), limit, what, "dataset-bytes");
            in.mark(2);
            int b0 = in.read(), b1 = in.read();
            in.reset();
            InputStream content = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
            return BoundedInput.open(content, limit, what, "dataset-bytes");
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static UserInputException readFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new UserInputException("dataset file " + file
                    + " does not exist; run `rankforge data fetch` or pass the directory that holds it");
        }
        if (e instanceof EOFException || e instanceof ZipException) {
            return new UserInputException("dataset file " + file + " is a truncated or corrupt gzip file ("
                    + e.getMessage() + "); delete it and run `rankforge data fetch` again");
        }
        return new UserInputException("cannot read dataset file " + file + ": " + e.getMessage());
    }

    private static ByteBuffer header(InputStream in, Path file, int headerBytes) throws IOException {
        byte[] h = in.readNBytes(headerBytes);
        if (h.length < headerBytes) {
            throw corrupt(file, "only " + h.length + " bytes, shorter than the " + headerBytes + "-byte IDX header");
        }
        return ByteBuffer.wrap(h);
    }

    /**
     * The {@code expected} data bytes the header announces, checked against the limit before they are allocated,
     * then read; fewer (truncated) or more (trailing bytes) is a corrupt file.
     */
    private static byte[] body(InputStream in, Path file, long expected) throws IOException {
        BoundedInput.checkDeclared(
                expected, InputLimits.current().datasetBytes(), "dataset file " + file + "'s header", "dataset-bytes");
        byte[] data = in.readNBytes((int) expected);
        if (data.length < expected) {
            throw corrupt(
                    file,
                    "header announces " + expected + " data bytes but the file holds " + data.length + " (truncated)");
        }
        if (in.read() >= 0) {
            throw corrupt(file, "header announces " + expected + " data bytes but the file holds more");
        }
        return data;
    }

    private static UserInputException badMagic(Path file, int got, int want) {
        return corrupt(file, String.format("magic number 0x%08x, expected 0x%08x", got, want));
    }

    private static UserInputException corrupt(Path file, String why) {
        return new UserInputException("dataset file " + file + " is not a valid IDX file: " + why
                + "; delete it and run `rankforge data fetch` again");
    }
}
