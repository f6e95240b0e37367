package io.rankforge.data;

import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads CIFAR-10's binary version ("cifar-10-batches-bin"): each record is one label byte (0–9)
 * followed by 3,072 pixel bytes, the 32×32 red plane, then green, then blue, each row by row. That is
 * already NCHW with channels in RGB order, the order in which the paper's Caffe ResNet-56 was
 * trained from the same data.
 *
 * <p>CIFAR-10 cannot be downloaded on RankForge's build machines; users who have it point RankForge
 * at the folder holding {@code data_batch_1.bin … data_batch_5.bin} and {@code test_batch.bin}.
 */
public final class Cifar10Reader {
    public static final int CLASSES = 10;
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    static final int PIXELS = CHANNELS * SIDE * SIDE;
    static final int RECORD = 1 + PIXELS;

    private Cifar10Reader() {}

    /** The 50,000 training images (data_batch_1.bin … data_batch_5.bin in that order). */
    public static LabelledImages train(Path dir) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        return read(files);
    }

    /** The 10,000 test images (test_batch.bin). */
    public static LabelledImages test(Path dir) {
        return read(List.of(dir.resolve("test_batch.bin")));
    }

    /** Records of the given batch files, concatenated in order; pixels scaled to [0, 1]. */
    public static LabelledImages read(List<Path> files) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path f : files) {
            byte[] bytes = readFile(f);
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new UserInputException("CIFAR-10 batch " + f + " has " + bytes.length + " bytes, not a whole "
                        + "number of " + RECORD + "-byte records; give the files of CIFAR-10's binary version "
                        + "(cifar-10-batches-bin)");
            }
            contents.add(bytes);
            records += bytes.length / RECORD;
        }
        if (records > Integer.MAX_VALUE / PIXELS) {
            throw new UserInputException("too many CIFAR-10 records: " + records);
        }
        int n = (int) records;
        float[] pixels = new float[n * PIXELS];
        int[] labels = new int[n];
        int image = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int offset = 0; offset < bytes.length; offset += RECORD, image++) {
                int label = bytes[offset] & 0xff;
                if (label >= CLASSES) {
                    throw new UserInputException("CIFAR-10 batch " + files.get(f) + ": record " + offset / RECORD
                            + " has label " + label + ", outside 0–9 (a CIFAR-100 file?)");
                }
                labels[image] = label;
                int base = image * PIXELS;
                for (int p = 0; p < PIXELS; p++) {
                    pixels[base + p] = (bytes[offset + 1 + p] & 0xff) / 255f;
                }
            }
        }
        return new LabelledImages(
                Nd4j.create(pixels, new long[] {n, CHANNELS, SIDE, SIDE}, DataType.FLOAT), labels, CLASSES);
    }

    private static byte[] readFile(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new UserInputException("CIFAR-10 batch " + f + " does not exist; give the folder of CIFAR-10's "
                    + "binary version (cifar-10-batches-bin)");
        }
        return BoundedInput.readBytes(f, InputLimits.current().datasetBytes(), "CIFAR-10 batch " + f, "dataset-bytes");
    }
}
