package io.rankforge.runtime;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** Plain access to an ND4J array's native memory, for the training kernels' Java loops. */
final class NativeArrays {
    private NativeArrays() {}

    /** {@code a} itself when it is a dense C-order array with default strides, else a C-order copy. */
    static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.offset() == 0 ? a : a.dup('c');
    }

    /** The array's elements as a float view of its native memory (no copy). */
    static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The array's elements' bits as an int view of its native memory (no copy). */
    static IntBuffer ints(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
    }
}
