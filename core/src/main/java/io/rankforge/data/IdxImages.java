package io.rankforge.data;

import java.util.Objects;

/**
 * The raw content of an IDX image file: {@code count} images of {@code rows × cols} unsigned bytes,
 * row-major, one image after another.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
        Objects.requireNonNull(pixels, "pixels");
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "image dimensions must be positive, got " + count + "x" + rows + "x" + cols);
        }
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels must hold count*rows*cols = " + (long) count * rows * cols
                    + " bytes, got " + pixels.length);
        }
    }
}
