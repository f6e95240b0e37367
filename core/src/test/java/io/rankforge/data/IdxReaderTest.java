package io.rankforge.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structural errors in IDX files are reported as one clear user error naming the file. */
class IdxReaderTest {
    static final Path LABELS_GZ = FashionMnistGenuineTest.DEBIAN_DIR.resolve("train-labels-idx1-ubyte.gz");

    @Test
    void readsGzAndRawAlike(@TempDir Path tmp) throws IOException {
        Path raw = tmp.resolve("labels");
        Files.write(raw, IdxReader.readBytes(LABELS_GZ));
        assertArrayEquals(IdxReader.readLabels(LABELS_GZ), IdxReader.readLabels(raw));
    }

    @Test
    void truncatedGzIsReported(@TempDir Path tmp) throws IOException {
        byte[] gz = Files.readAllBytes(LABELS_GZ);
        Path cut = tmp.resolve("train-labels-idx1-ubyte.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        UserInputException e = assertThrows(UserInputException.class, () -> IdxReader.readLabels(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedRawAndWrongMagicAreReported(@TempDir Path tmp) throws IOException {
        byte[] raw = IdxReader.readBytes(LABELS_GZ);
        Path cut = tmp.resolve("cut");
        Files.write(cut, Arrays.copyOf(raw, raw.length - 10));
        UserInputException e = assertThrows(UserInputException.class, () -> IdxReader.readLabels(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // a label file is not an image file
        UserInputException m = assertThrows(UserInputException.class, () -> IdxReader.readImages(LABELS_GZ));
        assertTrue(m.getMessage().contains("magic"), m.getMessage());
    }

    @Test
    void missingDirectoryAndFilesAreNamed(@TempDir Path tmp) throws IOException {
        Path none = tmp.resolve("nope");
        UserInputException e = assertThrows(UserInputException.class, () -> IdxDirectory.of(none));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
        Files.copy(LABELS_GZ, tmp.resolve("train-labels-idx1-ubyte.gz"));
        UserInputException f = assertThrows(UserInputException.class, () -> IdxDirectory.of(tmp));
        assertTrue(
                f.getMessage().contains("train-images-idx3-ubyte")
                        && f.getMessage().contains("t10k-labels-idx1-ubyte")
                        && !f.getMessage().contains("train-labels"),
                f.getMessage());
    }
}
