package io.rankforge.importer.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.rankforge.UserInputException;
import io.rankforge.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads an ONNX file into a ModelProto, after checking its size against {@link #MAX_BYTES}. */
public final class OnnxFiles {
    /**
     * The largest ONNX file RankForge reads: 512 MiB, checked before a byte is read. The networks RankForge
     * compresses are far smaller; ONNX's own protobuf format cannot exceed 2 GiB.
     */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    private OnnxFiles() {}

    public static ModelProto read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("ONNX model " + file + " does not exist or is not a file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UserInputException("cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
        if (size > MAX_BYTES) {
            throw new UserInputException("ONNX model " + file + " has " + size + " bytes, more than the " + MAX_BYTES
                    + " RankForge reads (docs/onnx.md)");
        }
        if (size == 0) {
            throw new UserInputException("ONNX model " + file + " is empty");
        }
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit((int) MAX_BYTES);
            model = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new UserInputException(
                    "ONNX model " + file + " is not a readable ONNX ModelProto (truncated or corrupt: "
                            + firstLine(e.getMessage()) + ")",
                    e);
        } catch (IOException e) {
            throw new UserInputException("cannot read ONNX model " + file + ": " + firstLine(e.getMessage()), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new UserInputException("ONNX model " + file + " holds no graph nodes (truncated, or not an ONNX "
                    + "model); give the file torch.onnx.export wrote");
        }
        return model;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        return s.lines().findFirst().orElse(s);
    }
}
