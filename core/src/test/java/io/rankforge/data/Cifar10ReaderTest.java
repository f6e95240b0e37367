package io.rankforge.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10's binary records, written by the test, read back into NCHW [0, 1] images. */
class Cifar10ReaderTest {
    @TempDir
    Path dir;

    /** Pixel byte of image {@code i}, channel c, row y, column x: a pattern that differs in every coordinate. */
    private static int pixel(int i, int c, int y, int x) {
        return (i * 31 + c * 101 + y * 7 + x * 3) % 256;
    }

    private Path writeBatch(String name, int[] labels, int firstImage) throws IOException {
        byte[] bytes = new byte[labels.length * Cifar10Reader.RECORD];
        for (int r = 0; r < labels.length; r++) {
            int o = r * Cifar10Reader.RECORD;
            bytes[o] = (byte) labels[r];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        bytes[o + 1 + (c * 32 + y) * 32 + x] = (byte) pixel(firstImage + r, c, y, x);
                    }
                }
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void recordsBecomeRgbPlanesScaledToUnitRange() throws IOException {
        Path a = writeBatch("data_batch_1.bin", new int[] {6, 9, 0}, 0);
        Path b = writeBatch("data_batch_2.bin", new int[] {3, 255 - 246}, 3);
        LabelledImages images = Cifar10Reader.read(List.of(a, b));
        assertEquals(5, images.size());
        assertArrayEquals(new int[] {6, 9, 0, 3, 9}, images.labels());
        assertArrayEquals(new long[] {5, 3, 32, 32}, images.features().shape());
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y : new int[] {0, 13, 31}) {
                    for (int x : new int[] {0, 5, 31}) {
                        assertEquals(
                                pixel(i, c, y, x) / 255f,
                                images.features().getFloat(i, c, y, x),
                                0f,
                                "image " + i + " channel " + c + " at " + y + "," + x);
                    }
                }
            }
        }
        assertEquals(1f, images.oneHot().getFloat(0, 6));
        assertEquals(1f, images.oneHot().sumNumber().floatValue() / 5, 0f);
    }

    @Test
    void trainAndTestFilesOfTheStandardFolder() throws IOException {
        for (int i = 1; i <= 5; i++) {
            writeBatch("data_batch_" + i + ".bin", new int[] {i, i + 1}, 2 * i);
        }
        writeBatch("test_batch.bin", new int[] {7}, 99);
        LabelledImages train = Cifar10Reader.train(dir);
        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, train.labels());
        assertEquals(pixel(11, 2, 31, 31) / 255f, train.features().getFloat(9, 2, 31, 31), 0f); // batch 5, record 1
        LabelledImages test = Cifar10Reader.test(dir);
        assertArrayEquals(new int[] {7}, test.labels());
        assertEquals(pixel(99, 1, 4, 4) / 255f, test.features().getFloat(0, 1, 4, 4), 0f);
    }

    @Test
    void partialRecordIsRefused() throws IOException {
        Path file = writeBatch("data_batch_1.bin", new int[] {1, 2}, 0);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        UserInputException e = assertThrows(UserInputException.class, () -> Cifar10Reader.read(List.of(file)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void labelOutsideTenClassesIsRefused() throws IOException {
        Path file = writeBatch("data_batch_1.bin", new int[] {1, 42}, 0);
        UserInputException e = assertThrows(UserInputException.class, () -> Cifar10Reader.read(List.of(file)));
        assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("42"), e.getMessage());
    }

    @Test
    void missingFolderNamesTheFile() {
        UserInputException e = assertThrows(UserInputException.class, () -> Cifar10Reader.test(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
    }
}
