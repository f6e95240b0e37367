package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.caffe.proto.CaffeProto.BlobProto;
import java.util.Arrays;

/** One parameter blob of a Caffe layer: its shape and its values as float32, in Caffe's (row-major) order. */
record CaffeBlob(long[] shape, float[] data) {

    /** Reads blob {@code index} of layer {@code layer}, checking that its shape and its value count agree. */
    static CaffeBlob of(BlobProto proto, String layer, int index) {
        long[] shape;
        if (proto.hasShape()) {
            shape = proto.getShape().getDimList().stream()
                    .mapToLong(Long::longValue)
                    .toArray();
        } else {
            // Legacy 4-D blobs: num × channels × height × width, leading ones meaningless.
            shape = new long[] {proto.getNum(), proto.getChannels(), proto.getHeight(), proto.getWidth()};
        }
        float[] data;
        if (proto.getDataCount() > 0) {
            data = new float[proto.getDataCount()];
            for (int i = 0; i < data.length; i++) {
                data[i] = proto.getData(i);
            }
        } else {
            data = new float[proto.getDoubleDataCount()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) proto.getDoubleData(i);
            }
        }
        long count = Arrays.stream(shape).reduce(1L, (a, b) -> a * b);
        if (!proto.hasShape() && count != data.length) {
            // legacy shapes are often left at 0 for vectors
            shape = new long[] {data.length};
            count = data.length;
        }
        if (count != data.length) {
            throw new UserInputException("Caffe layer '" + layer + "': blob " + index + " declares shape "
                    + Arrays.toString(shape) + " but holds " + data.length + " values (corrupt .caffemodel?)");
        }
        return new CaffeBlob(shape, data);
    }

    long count() {
        return data.length;
    }

    /** Checks that the blob has exactly {@code expected} values, else names the layer and the mismatch. */
    CaffeBlob requireCount(long expected, String layer, String what) {
        if (data.length != expected) {
            throw new UserInputException("Caffe layer '" + layer + "': " + what + " blob has " + data.length
                    + " values " + Arrays.toString(shape) + ", the network definition needs " + expected
                    + "; do the .caffemodel and the .prototxt belong together?");
        }
        return this;
    }
}
