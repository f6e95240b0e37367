package io.rankforge.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import io.rankforge.io.OutputPaths;
import io.rankforge.model.LoadedModel;
import io.rankforge.onnx.proto.OnnxProto.ModelProto;
import io.rankforge.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.rankforge.onnx.proto.OnnxProto.StringStringEntryProto;
import io.rankforge.onnx.proto.OnnxProto.TensorProto;
import io.rankforge.onnx.proto.OnnxProto.TensorShapeProto;
import io.rankforge.onnx.proto.OnnxProto.TypeProto;
import io.rankforge.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Writes a DL4J network (MultiLayerNetwork or single-input, single-output ComputationGraph) as an ONNX model,
 * opset {@value #OPSET}: the zoo networks, decomposed ones (their k×1 / 1×k and 1×1 factor convolutions are plain
 * convolutions) and imported ones. The mapping of layers and vertices to ONNX operators is in {@link NetworkExport}
 * and docs/onnx.md.
 *
 * <p>The ONNX model takes one float32 input named {@value #INPUT} of shape [N, C, H, W] (batch size free), the
 * network's input exactly as RankForge feeds it: for the zoo networks grey-scale pixels scaled to [0, 1]
 * (pixel / 255); an imported Caffe network's own input transform is part of the graph. Its one output is the
 * network's output: class probabilities for the zoo networks (their output layer is a softmax), whatever the last
 * layer computes for an imported one.
 */
public final class OnnxExporter {
    /** The operator set version written: supported by every current ONNX runtime. */
    public static final int OPSET = 13;
    /** IR version 7 is the one that goes with opset 13. */
    public static final int IR_VERSION = 7;

    public static final String INPUT = "input";
    /** The symbolic name of the free batch dimension of the input and output. */
    public static final String BATCH = "N";

    /**
     * What was written.
     *
     * @param operators the ONNX operator types the graph uses
     * @param inputShape [C, H, W] of one input image
     * @param outputShape the output's dimensions after the batch dimension
     */
    public record Result(
            Path out,
            long bytes,
            int nodes,
            int initializers,
            Set<String> operators,
            String outputName,
            List<Long> inputShape,
            List<Long> outputShape) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("out", out.toString());
            o.put("format", "onnx");
            o.put("opset", OPSET);
            o.put("bytes", bytes);
            o.put("nodes", nodes);
            o.put("initializers", initializers);
            operators.forEach(o.putArray("operators")::add);
            o.put("input", INPUT);
            List<Long> in = new ArrayList<>();
            in.add(-1L);
            in.addAll(inputShape);
            in.forEach(o.putArray("input_shape")::add);
            o.put("input_layout", "NCHW float32, pixels scaled to [0, 1]; -1 = any batch size");
            o.put("output", outputName);
            List<Long> outShape = new ArrayList<>();
            outShape.add(-1L);
            outShape.addAll(outputShape);
            outShape.forEach(o.putArray("output_shape")::add);
            return o;
        }
    }

    private OnnxExporter() {}

    /** Writes {@code loaded} as ONNX to {@code out} (a temporary file beside it, then renamed). */
    public static Result write(LoadedModel loaded, Path out) {
        requireWritable(out);
        NetworkExport.Exported e = NetworkExport.of(loaded.model(), loaded.inputType());
        ModelProto model = model(e, loaded.path().getFileName() + " (sha256 " + loaded.sha256() + ")");
        try {
            AtomicFiles.write(out, model::writeTo);
        } catch (UncheckedIOException ex) {
            throw new UserInputException("outputFile " + out + " cannot be written: " + oneLine(ex.getCause()), ex);
        }
        long bytes;
        try {
            bytes = Files.size(out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new Result(
                out,
                bytes,
                model.getGraph().getNodeCount(),
                model.getGraph().getInitializerCount(),
                e.operators(),
                e.outputName(),
                e.inputShape(),
                e.outputShape());
    }

    /** The ONNX model of {@code network}, fed with {@code inputType}; {@code source} says where it came from. */
    public static ModelProto toOnnx(Model network, InputType inputType, String source) {
        return model(NetworkExport.of(network, inputType), source);
    }

    private static ModelProto model(NetworkExport.Exported e, String source) {
        var graph = e.graph();
        graph.addInput(valueInfo(INPUT, e.inputShape()));
        graph.addOutput(valueInfo(e.outputName(), e.outputShape()));
        graph.setDocString("Input '" + INPUT + "': float32 [N, C, H, W], pixels scaled to [0, 1] as RankForge "
                + "feeds its networks. Output '" + e.outputName() + "': the network's output (class scores).");
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("RankForge")
                .setProducerVersion("0.1.0")
                .setDocString("Exported by RankForge from " + source)
                .addMetadataProps(meta("rankforge.source", source))
                .addMetadataProps(meta("rankforge.input_layout", "NCHW"))
                .addMetadataProps(meta("rankforge.preprocessing", "pixel / 255 (values in [0, 1])"))
                .setGraph(graph)
                .build();
    }

    private static StringStringEntryProto meta(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static ValueInfoProto valueInfo(String name, List<Long> dimsAfterBatch) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : dimsAfterBatch) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT_VALUE)
                                .setShape(shape)))
                .build();
    }

    /**
     * Fails (UserInputException, naming the field outputFile) when {@code out} is a folder, or its nearest existing
     * ancestor is not a writable folder; callers check this before the slow work.
     */
    public static void requireWritable(Path out) {
        OutputPaths.requireWritableFile(out, "outputFile " + out, "model.onnx");
    }

    private static String oneLine(Throwable t) {
        String m = t == null ? "unknown error" : String.valueOf(t.getMessage());
        return m.lines().findFirst().orElse(m);
    }
}
