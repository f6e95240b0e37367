package io.rankforge.data;

/** The four files of an MNIST-format dataset, by their canonical (uncompressed) names. */
public enum IdxFile {
    TRAIN_IMAGES("train-images-idx3-ubyte"),
    TRAIN_LABELS("train-labels-idx1-ubyte"),
    TEST_IMAGES("t10k-images-idx3-ubyte"),
    TEST_LABELS("t10k-labels-idx1-ubyte");

    private final String fileName;

    IdxFile(String fileName) {
        this.fileName = fileName;
    }

    /** The uncompressed file name, e.g. {@code train-images-idx3-ubyte}. */
    public String fileName() {
        return fileName;
    }

    /** The gzip-compressed file name, e.g. {@code train-images-idx3-ubyte.gz}. */
    public String gzFileName() {
        return fileName + ".gz";
    }

    public boolean isImages() {
        return this == TRAIN_IMAGES || this == TEST_IMAGES;
    }
}
