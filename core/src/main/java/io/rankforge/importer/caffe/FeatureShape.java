package io.rankforge.importer.caffe;

/**
 * Shape of one blob of one example as the import walks the network: channels × height × width for
 * feature maps, or a flat vector of {@code channels} values (after an InnerProduct).
 */
record FeatureShape(int channels, int height, int width, boolean flat) {
    static FeatureShape map(int channels, int height, int width) {
        return new FeatureShape(channels, height, width, false);
    }

    static FeatureShape vector(int size) {
        return new FeatureShape(size, 1, 1, true);
    }

    /** Values per example, in Caffe's flattening order (channel, row, column). */
    long size() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return flat ? "[" + channels + "]" : "[" + channels + "×" + height + "×" + width + "]";
    }
}
