package io.rankforge.data;

import io.rankforge.UserInputException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
        ByteBuffer b = ByteBuffer.wrap(readBytes(file));
        int magic = header(b, file, 16);
        if (magic != IMAGES_MAGIC) {
            throw badMagic(file, magic, IMAGES_MAGIC);
        }
        int count = b.getInt(), rows = b.getInt(), cols = b.getInt();
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw corrupt(file, "impossible dimensions " + count + "x" + rows + "x" + cols);
        }
        long expected = (long) count * rows * cols;
        requireBody(b, file, expected);
        byte[] pixels = new byte[(int) expected];
        b.get(pixels);
        return new IdxImages(count, rows, cols, pixels);
    }

    /** Labels as ints in [0, 255] (0–9 for the MNIST family). */
    public static int[] readLabels(Path file) {
        ByteBuffer b = ByteBuffer.wrap(readBytes(file));
        int magic = header(b, file, 8);
        if (magic != LABELS_MAGIC) {
            throw badMagic(file, magic, LABELS_MAGIC);
        }
        int count = b.getInt();
        if (count < 0) {
            throw corrupt(file, "negative item count " + count);
        }
        requireBody(b, file, count);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = b.get() & 0xff;
        }
        return labels;
    }

    /** The file's bytes, gunzipped when the file starts with the gzip magic. */
    public static byte[] readBytes(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.mark(2);
            int b0 = in.read(), b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (GZIPInputStream gz = new GZIPInputStream(in, 1 << 16)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                    gz.transferTo(out);
                    return out.toByteArray();
                }
            }
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new UserInputException("dataset file " + file
                    + " does not exist; run `rankforge data fetch` or pass the directory that holds it");
        } catch (EOFException | ZipException e) {
            throw new UserInputException("dataset file " + file + " is a truncated or corrupt gzip file ("
                    + e.getMessage() + "); delete it and run `rankforge data fetch` again");
        } catch (IOException e) {
            throw new UserInputException("cannot read dataset file " + file + ": " + e.getMessage());
        }
    }

    private static int header(ByteBuffer b, Path file, int headerBytes) {
        if (b.remaining() < headerBytes) {
            throw corrupt(
                    file, "only " + b.remaining() + " bytes, shorter than the " + headerBytes + "-byte IDX header");
        }
        return b.getInt();
    }

    private static void requireBody(ByteBuffer b, Path file, long expected) {
        if (b.remaining() != expected) {
            throw corrupt(
                    file,
                    "header announces " + expected + " data bytes but the file holds " + b.remaining()
                            + (b.remaining() < expected ? " (truncated)" : ""));
        }
    }

    private static UserInputException badMagic(Path file, int got, int want) {
        return corrupt(file, String.format("magic number 0x%08x, expected 0x%08x", got, want));
    }

    private static UserInputException corrupt(Path file, String why) {
        return new UserInputException("dataset file " + file + " is not a valid IDX file: " + why
                + "; delete it and run `rankforge data fetch` again");
    }
}
