package io.rankforge.importer.onnx;

import io.rankforge.importer.ImportedModel;
import io.rankforge.onnx.proto.OnnxProto.ModelProto;
import java.nio.file.Path;

/**
 * Imports an ONNX model (a {@code .onnx} file, e.g. from PyTorch's {@code torch.onnx.export}, opsets 13 to 18) as a
 * DL4J ComputationGraph whose vertices carry the ONNX node names. See {@link OnnxGraphBuilder} for the operator
 * mapping and {@link OnnxFiles#maxBytes()} for the size limit; docs/onnx.md documents both.
 */
public final class OnnxImporter {
    private OnnxImporter() {}

    public static ImportedModel load(Path file) {
        ModelProto model = OnnxFiles.read(file);
        return OnnxGraphBuilder.build(file.toString(), model, OnnxFiles.externalData(file));
    }

    /** The ONNX operators the importer converts, sorted. */
    public static java.util.Set<String> supportedOperators() {
        return java.util.Collections.unmodifiableSet(OnnxGraphBuilder.SUPPORTED);
    }
}
