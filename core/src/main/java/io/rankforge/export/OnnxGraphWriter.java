package io.rankforge.export;

import com.google.protobuf.ByteString;
import io.rankforge.onnx.proto.OnnxProto.AttributeProto;
import io.rankforge.onnx.proto.OnnxProto.GraphProto;
import io.rankforge.onnx.proto.OnnxProto.NodeProto;
import io.rankforge.onnx.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accumulates an ONNX graph: nodes in execution order and float32 / int64 initializers, every node and tensor name
 * unique (a taken name gets {@code _2}, {@code _3}, … appended).
 */
final class OnnxGraphWriter {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> nodeNames = new HashSet<>();
    private final Set<String> tensorNames = new HashSet<>();
    private final Set<String> operators = new java.util.TreeSet<>();

    OnnxGraphWriter(String name) {
        graph.setName(name);
    }

    GraphProto.Builder graph() {
        return graph;
    }

    /** The ONNX operator types used so far, sorted. */
    Set<String> operators() {
        return operators;
    }

    /** Reserves a tensor name (the graph input) so no node output takes it. */
    String claimTensor(String name) {
        return unique(name, tensorNames);
    }

    /**
     * Adds a node and returns the name of its one output tensor.
     *
     * @param name   the node's name (made unique)
     * @param output the wanted name of its output tensor (made unique)
     */
    String node(String opType, String name, List<String> inputs, String output, AttributeProto... attributes) {
        String out = unique(output, tensorNames);
        NodeProto.Builder n = NodeProto.newBuilder()
                .setOpType(opType)
                .setName(unique(name, nodeNames))
                .addAllInput(inputs)
                .addOutput(out);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        operators.add(opType);
        return out;
    }

    /** A float32 initializer holding {@code values} (any data type, any order) with the given dimensions. */
    String floats(String name, INDArray values, long... dims) {
        float[] data;
        try (INDArray f = values.castTo(DataType.FLOAT).dup('c')) {
            data = f.data().asFloat();
        }
        return floats(name, data, dims);
    }

    String floats(String name, float[] data, long... dims) {
        long count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "initializer " + name + ": " + data.length + " values for dimensions " + Arrays.toString(dims));
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        return initializer(name, TensorProto.DataType.FLOAT, ByteString.copyFrom(raw.array()), dims);
    }

    /** A 1-D int64 initializer (shapes, slice bounds, pads). */
    String int64s(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(name, TensorProto.DataType.INT64, ByteString.copyFrom(raw.array()), values.length);
    }

    private String initializer(String name, TensorProto.DataType type, ByteString raw, long... dims) {
        String n = unique(name, tensorNames);
        TensorProto.Builder t = TensorProto.newBuilder().setName(n).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t.setRawData(raw));
        return n;
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static AttributeProto real(String name, double value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) value)
                .build();
    }

    private static String unique(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
