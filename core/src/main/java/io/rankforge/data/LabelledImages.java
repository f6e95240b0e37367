package io.rankforge.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Labelled images with any number of channels (colour images such as CIFAR-10), where
 * {@link ImageDataset} holds the grey-scale MNIST family.
 *
 * @param features float32 NCHW {@code [n, c, h, w]}, pixel values scaled to [0, 1]
 * @param labels   class index of each image, in [0, {@code classes})
 * @param classes  number of classes
 */
public record LabelledImages(INDArray features, int[] labels, int classes) {
    public LabelledImages {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (features.rank() != 4) {
            throw new IllegalArgumentException(
                    "features must be [n, c, h, w], got " + Arrays.toString(features.shape()));
        }
        if (features.size(0) != labels.length) {
            throw new IllegalArgumentException(
                    "features hold " + features.size(0) + " images but labels has " + labels.length);
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be > 0, got " + classes);
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + i + " is " + labels[i] + ", outside [0, " + classes + ")");
            }
        }
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return (int) features.size(1);
    }

    public int height() {
        return (int) features.size(2);
    }

    public int width() {
        return (int) features.size(3);
    }

    /** The labels one-hot encoded, float32 {@code [n, classes]}. */
    public INDArray oneHot() {
        float[] m = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            m[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(m, new long[] {labels.length, classes}, DataType.FLOAT);
    }

    /** The first {@code n} images (n ≥ size returns this set); shares storage with this set. */
    public LabelledImages first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        return new LabelledImages(features.get(NDArrayIndex.interval(0, n)), Arrays.copyOf(labels, n), classes);
    }

    /** A DL4J DataSet view (features, one-hot labels). */
    public DataSet toDataSet() {
        return new DataSet(features, oneHot());
    }

    @Override
    public String toString() {
        return "LabelledImages[" + size() + " images " + channels() + "x" + height() + "x" + width() + "]";
    }
}
