package io.rankforge.importer.onnx;

import io.rankforge.onnx.proto.OnnxProto.AttributeProto;
import io.rankforge.onnx.proto.OnnxProto.NodeProto;
import io.rankforge.onnx.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor of an ONNX graph (an initializer or a Constant node's value): float32 or int64 values with
 * their dimensions. Values come from raw_data (little-endian) or the typed fields (float_data, int64_data).
 */
record OnnxTensors(String name, long[] dims, float[] floats, long[] longs) {
    /** Reads the bytes of a tensor stored outside the .onnx file (torch.onnx.export's {@code .onnx.data}). */
    @FunctionalInterface
    interface ExternalData {
        ExternalData NONE = (t, where) -> {
            throw new IllegalStateException(where + " is stored externally");
        };

        /** The tensor with its raw_data read from the external file. */
        TensorProto resolve(TensorProto t, String where);
    }

    long count() {
        return Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    }

    boolean isFloat() {
        return floats != null;
    }

    /** Reads {@code t}; {@code where} names it in errors ("initializer 'fc.weight'"). */
    static OnnxTensors of(TensorProto t, String where, OnnxProblems problems, ExternalData external) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            t = external.resolve(t, where);
        }
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw problems.error(where + " has invalid dimensions " + Arrays.toString(dims));
        }
        int n = (int) count;
        int type = t.getDataType();
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            float[] v;
            if (t.hasRawData()) {
                requireBytes(t, 4L * n, where, problems);
                v = new float[n];
                ByteBuffer.wrap(t.getRawData().toByteArray())
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(v);
            } else {
                if (t.getFloatDataCount() != n) {
                    throw problems.error(where + " has " + t.getFloatDataCount() + " values for dimensions "
                            + Arrays.toString(dims));
                }
                v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getFloatData(i);
                }
            }
            return new OnnxTensors(t.getName(), dims, v, null);
        }
        if (type == TensorProto.DataType.INT64_VALUE || type == TensorProto.DataType.INT32_VALUE) {
            long[] v = new long[n];
            if (t.hasRawData()) {
                boolean wide = type == TensorProto.DataType.INT64_VALUE;
                requireBytes(t, (wide ? 8L : 4L) * n, where, problems);
                ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    v[i] = wide ? b.getLong() : b.getInt();
                }
            } else if (type == TensorProto.DataType.INT64_VALUE && t.getInt64DataCount() == n) {
                for (int i = 0; i < n; i++) {
                    v[i] = t.getInt64Data(i);
                }
            } else if (type == TensorProto.DataType.INT32_VALUE && t.getInt32DataCount() == n) {
                for (int i = 0; i < n; i++) {
                    v[i] = t.getInt32Data(i);
                }
            } else {
                throw problems.error(where + " has the wrong number of values for dimensions " + Arrays.toString(dims));
            }
            return new OnnxTensors(t.getName(), dims, null, v);
        }
        throw problems.error(where + " has data type " + dataTypeName(type)
                + "; RankForge imports float32 weights (and int64 shapes) only");
    }

    /** The value of a Constant node (attribute value, value_float(s) or value_int(s)). */
    static OnnxTensors ofConstant(NodeProto node, String where, OnnxProblems problems) {
        for (AttributeProto a : node.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    return of(a.getT(), where, problems, ExternalData.NONE);
                }
                case "value_float" -> {
                    return new OnnxTensors(node.getOutput(0), new long[0], new float[] {a.getF()}, null);
                }
                case "value_floats" -> {
                    float[] v = new float[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    return new OnnxTensors(node.getOutput(0), new long[] {v.length}, v, null);
                }
                case "value_int" -> {
                    return new OnnxTensors(node.getOutput(0), new long[0], null, new long[] {a.getI()});
                }
                case "value_ints" -> {
                    return new OnnxTensors(
                            node.getOutput(0),
                            new long[] {a.getIntsCount()},
                            null,
                            a.getIntsList().stream().mapToLong(Long::longValue).toArray());
                }
                default -> {
                    // sparse_value, value_string(s): not a weight or a shape
                }
            }
        }
        throw problems.error(where + " holds no float or integer value RankForge can read");
    }

    private static void requireBytes(TensorProto t, long expected, String where, OnnxProblems problems) {
        if (t.getRawData().size() != expected) {
            throw problems.error(
                    where + " has " + t.getRawData().size() + " bytes of data, its dimensions need " + expected);
        }
    }

    private static String dataTypeName(int type) {
        TensorProto.DataType d = TensorProto.DataType.forNumber(type);
        return d == null ? String.valueOf(type) : d.name();
    }
}
