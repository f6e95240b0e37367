package io.rankforge.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Labelled grey-scale images, the unit every RankForge job consumes.
 *
 * @param features float32, NCHW {@code [n, 1, h, w]}, pixel values scaled to [0, 1]
 * @param labels   class index of each image, in [0, {@link #CLASSES})
 * @param oneHot   float32 {@code [n, CLASSES]}, the labels one-hot encoded (what DL4J's output layers fit)
 *
 * <p>Treat the arrays as read-only: they may be shared with subsets made by {@link #first(int)}.
 * The label array is copied on the way in and on the way out.
 */
public record ImageDataset(INDArray features, int[] labels, INDArray oneHot) {
    /** Number of classes of the MNIST family. */
    public static final int CLASSES = 10;

    public ImageDataset {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(oneHot, "oneHot");
        if (features.rank() != 4 || features.size(1) != 1) {
            throw new IllegalArgumentException(
                    "features must be [n, 1, h, w], got " + Arrays.toString(features.shape()));
        }
        if (features.size(0) != labels.length) {
            throw new IllegalArgumentException(
                    "features hold " + features.size(0) + " images but labels has " + labels.length);
        }
        if (oneHot.rank() != 2 || oneHot.size(0) != labels.length || oneHot.size(1) != CLASSES) {
            throw new IllegalArgumentException(
                    "oneHot must be [" + labels.length + ", " + CLASSES + "], got " + Arrays.toString(oneHot.shape()));
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException(
                        "label " + i + " is " + labels[i] + ", outside [0, " + CLASSES + ")");
            }
        }
    }

    /** Images and labels; the one-hot matrix is derived from the labels. */
    public static ImageDataset of(INDArray features, int[] labels) {
        return new ImageDataset(features, labels, oneHot(labels));
    }

    /** Decodes IDX images (unsigned bytes) into [0, 1] floats. */
    public static ImageDataset fromIdx(IdxImages images, int[] labels) {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(
                    "image file holds " + images.count() + " images but label file holds " + labels.length + " labels");
        }
        byte[] px = images.pixels();
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            f[i] = (px[i] & 0xff) / 255f;
        }
        INDArray features =
                Nd4j.create(f, new long[] {images.count(), 1, images.rows(), images.cols()}, DataType.FLOAT);
        return of(features, labels);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int label(int i) {
        return labels[i];
    }

    public int size() {
        return labels.length;
    }

    public int height() {
        return (int) features.size(2);
    }

    public int width() {
        return (int) features.size(3);
    }

    /** The first {@code n} images (n ≥ size returns this set). Shares storage with this set. */
    public ImageDataset first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        return new ImageDataset(
                features.get(NDArrayIndex.interval(0, n)),
                Arrays.copyOf(labels, n),
                oneHot.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
    }

    /** The images at the given indices, in that order (a copy). */
    public ImageDataset select(int[] indices) {
        long pixels = features.size(2) * features.size(3);
        INDArray flat = features.reshape('c', size(), pixels);
        INDArray rows = indices.length == 0 ? Nd4j.create(DataType.FLOAT, 0, pixels) : Nd4j.pullRows(flat, 1, indices);
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
        }
        return of(rows.reshape('c', indices.length, 1, features.size(2), features.size(3)), l);
    }

    /** Images per class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[CLASSES];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** A DL4J DataSet view (features, one-hot labels). */
    public DataSet toDataSet() {
        return new DataSet(features, oneHot);
    }

    /** Mini-batches in a new seeded random order every epoch (deterministic for a given seed). */
    public ImageBatches shuffledBatches(int batchSize, long seed) {
        return ImageBatches.shuffled(this, batchSize, seed);
    }

    /** Mini-batches in dataset order. */
    public ImageBatches batches(int batchSize) {
        return ImageBatches.inOrder(this, batchSize);
    }

    private static INDArray oneHot(int[] labels) {
        float[] m = new float[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l >= 0 && l < CLASSES) {
                m[i * CLASSES + l] = 1f;
            }
        }
        return Nd4j.create(m, new long[] {labels.length, CLASSES}, DataType.FLOAT);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size() + " images " + height() + "x" + width() + "]";
    }
}
