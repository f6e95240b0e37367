package io.rankforge.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * The three splits every experiment uses.
 *
 * @param train        the training images minus the held-out ones (55,000 by default), in file order
 * @param heldOut      images taken out of the training set with a fixed seed (5,000 by default), in file
 *                     order: every measured metric (sensitivities, ENC-Inf) uses these, never the test set
 * @param test         the 10,000 test images: ground truth only
 * @param heldOutSeed  the seed that chose the held-out images
 */
public record DataSplits(ImageDataset train, ImageDataset heldOut, ImageDataset test, long heldOutSeed) {
    public static final int DEFAULT_HELD_OUT = 5_000;
    /** Fixed so that every job of every run measures on the same held-out images. */
    public static final long DEFAULT_SEED = 20190616L;

    public DataSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(test, "test");
    }

    /** Splits {@code trainingSet} into train and held-out; a seeded permutation picks the held-out images. */
    public static DataSplits split(ImageDataset trainingSet, ImageDataset test, int heldOutSize, long seed) {
        if (heldOutSize < 0 || heldOutSize >= trainingSet.size()) {
            throw new IllegalArgumentException(
                    "heldOutSize must be in [0, " + trainingSet.size() + "), got " + heldOutSize);
        }
        int n = trainingSet.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] held = Arrays.copyOfRange(perm, 0, heldOutSize);
        Arrays.sort(held);
        boolean[] isHeld = new boolean[n];
        for (int i : held) {
            isHeld[i] = true;
        }
        int[] rest = new int[n - heldOutSize];
        for (int i = 0, k = 0; i < n; i++) {
            if (!isHeld[i]) {
                rest[k++] = i;
            }
        }
        return new DataSplits(trainingSet.select(rest), trainingSet.select(held), test, seed);
    }

    /**
     * The named dataset ("fashion-mnist" or "mnist") found or obtained by {@link DatasetFetcher} (digests
     * verified), split with the defaults. Progress goes nowhere; use the fetcher directly to see it.
     */
    public static DataSplits load(String datasetId) {
        return DatasetFetcher.standard(line -> {})
                .fetch(KnownDataset.byId(datasetId), null)
                .splits();
    }

    /** Reads the IDX files in {@code dir} (no digest check) and splits with the defaults. */
    public static DataSplits fromDirectory(Path dir) {
        return fromDirectory(dir, DEFAULT_HELD_OUT, DEFAULT_SEED);
    }

    public static DataSplits fromDirectory(Path dir, int heldOutSize, long seed) {
        IdxDirectory d = IdxDirectory.of(dir);
        return split(d.readTrain(), d.readTest(), heldOutSize, seed);
    }
}
