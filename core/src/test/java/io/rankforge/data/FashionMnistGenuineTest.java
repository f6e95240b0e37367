package io.rankforge.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST files of the Debian package and checks they are the genuine data. */
class FashionMnistGenuineTest {
    static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static IdxDirectory dir;
    static ImageDataset train;
    static ImageDataset test;

    @BeforeAll
    static void load() {
        dir = IdxDirectory.of(DEBIAN_DIR); // fails clearly (not skipped) when the package is missing
        train = dir.readTrain();
        test = dir.readTest();
    }

    @Test
    void genuineSizesBalanceAndFirstLabels() {
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        int[] six = new int[10];
        Arrays.fill(six, 6_000);
        int[] one = new int[10];
        Arrays.fill(one, 1_000);
        assertArrayEquals(six, train.classCounts());
        assertArrayEquals(one, test.classCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new long[] {60_000, 1, 28, 28}, train.features().shape());
        assertEquals(1.0, train.features().maxNumber().doubleValue(), 1e-6);
        assertEquals(0.0, train.features().minNumber().doubleValue(), 1e-6);
        assertEquals(ImageDataset.CLASSES, train.oneHot().size(1));
        assertEquals(1.0, train.oneHot().getRow(0).getDouble(9), 0);
        assertEquals(1.0, train.oneHot().sumNumber().doubleValue() / train.size(), 0);
    }

    @Test
    void splitsAreDisjointSeededAndConfigurable() {
        DataSplits s = DataSplits.split(train, test, DataSplits.DEFAULT_HELD_OUT, DataSplits.DEFAULT_SEED);
        assertEquals(55_000, s.train().size());
        assertEquals(5_000, s.heldOut().size());
        assertEquals(10_000, s.test().size());
        // the held-out images are training images not in the train split: compare pixel rows by content hash
        Set<Integer> trainHashes = new HashSet<>();
        for (int i = 0; i < s.train().size(); i += 1) {
            trainHashes.add(Arrays.hashCode(row(s.train(), i)));
        }
        int shared = 0;
        for (int i = 0; i < s.heldOut().size(); i++) {
            if (trainHashes.contains(Arrays.hashCode(row(s.heldOut(), i)))) {
                shared++;
            }
        }
        assertTrue(
                shared < 5,
                "held-out images must not be in train (a few exact duplicates exist in the data), shared " + shared);

        DataSplits again = DataSplits.split(train, test, DataSplits.DEFAULT_HELD_OUT, DataSplits.DEFAULT_SEED);
        assertArrayEquals(s.heldOut().labels(), again.heldOut().labels());
        assertEquals(s.heldOut().features(), again.heldOut().features());

        DataSplits other = DataSplits.split(train, test, 1_000, 7L);
        assertEquals(59_000, other.train().size());
        assertEquals(1_000, other.heldOut().size());
        assertNotEquals(Arrays.hashCode(row(s.heldOut(), 0)), Arrays.hashCode(row(other.heldOut(), 0)));
    }

    @Test
    void firstSharesPrefix() {
        ImageDataset f = train.first(100);
        assertEquals(100, f.size());
        assertArrayEquals(row(train, 99), row(f, 99));
        assertArrayEquals(Arrays.copyOf(train.labels(), 100), f.labels());
    }

    static float[] row(ImageDataset d, int i) {
        return d.features()
                .get(org.nd4j.linalg.indexing.NDArrayIndex.point(i))
                .dup()
                .data()
                .asFloat();
    }
}
