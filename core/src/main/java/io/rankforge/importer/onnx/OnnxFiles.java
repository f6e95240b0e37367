package io.rankforge.importer.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Sha256;
import io.rankforge.onnx.proto.OnnxProto.ModelProto;
import io.rankforge.onnx.proto.OnnxProto.StringStringEntryProto;
import io.rankforge.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an ONNX file into a ModelProto, after checking its size against {@link #maxBytes()}, and the tensors it
 * stores in a data file beside it.
 */
public final class OnnxFiles {
    /**
     * The most bytes RankForge reads for one ONNX model, the .onnx file and its external data together:
     * {@link InputLimits#modelBytes()} (1 GiB unless raised, at most 2 GiB), checked (file sizes, declared lengths)
     * before the bytes are read. The networks RankForge compresses are far smaller.
     */
    public static long maxBytes() {
        // protobuf cannot parse more than 2 GiB in one message, whatever the limit is raised to
        return Math.min(InputLimits.current().modelBytes(), Integer.MAX_VALUE);
    }

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
        BoundedInput.checkDeclared(size, maxBytes(), "ONNX model " + file, "model-bytes");
        if (size == 0) {
            throw new UserInputException("ONNX model " + file + " is empty");
        }
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit((int) maxBytes());
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

    /**
     * The model as one self-contained ONNX file: its bytes unchanged when every tensor is inside it, else the model
     * re-serialised with the tensors of its external data file(s) inlined (what a Spark executor is sent).
     */
    public static byte[] selfContained(Path file) {
        ModelProto model = read(file);
        if (!hasExternalData(model)) {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UserInputException("cannot read ONNX model " + file + ": " + firstLine(e.getMessage()), e);
            }
        }
        OnnxTensors.ExternalData external = externalData(file);
        ModelProto.Builder b = model.toBuilder();
        var g = b.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                g.setInitializer(i, external.resolve(t, "initializer '" + t.getName() + "'"));
            }
        }
        return b.build().toByteArray();
    }

    /**
     * SHA-256 identifying the model's exact weights: of the file, or, when it keeps tensors in an external data
     * file, of its {@link #selfContained} form (so that new weights in the data file make a new digest).
     */
    public static String digest(Path file) {
        return Sha256.of(selfContained(file));
    }

    private static boolean hasExternalData(ModelProto model) {
        return model.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
    }

    /**
     * Reads tensors stored beside the model (torch.onnx.export's {@code model.onnx.data}): a location relative to
     * the model's folder and inside it, an offset and a length within that file; every byte counts against
     * {@link #maxBytes()} together with the model file itself.
     */
    static OnnxTensors.ExternalData externalData(Path model) {
        Path dir = model.toAbsolutePath().normalize().getParent();
        OnnxProblems problems = new OnnxProblems(model.toString());
        long[] budget = {maxBytes() - sizeOf(model)};
        return (t, where) -> {
            String location = null;
            long offset = 0, length = -1;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = parse(e.getValue(), where, problems);
                    case "length" -> length = parse(e.getValue(), where, problems);
                    default -> {
                        // checksum and unknown keys: not needed to read the bytes
                    }
                }
            }
            if (location == null || location.isEmpty()) {
                throw problems.error(where + " is stored externally but names no file (external_data location)");
            }
            Path file = dir.resolve(location).normalize();
            if (!file.startsWith(dir)) {
                throw problems.error(where + " is stored in '" + location + "', outside the model's folder " + dir);
            }
            if (!Files.isRegularFile(file)) {
                throw problems.error(where + " is stored in " + file + ", which does not exist; keep the data file "
                        + "torch.onnx.export wrote beside the .onnx file");
            }
            long size = sizeOf(file);
            if (length < 0) {
                length = size - offset;
            }
            if (offset < 0 || length < 0 || offset + length > size) {
                throw problems.error(where + " lies at bytes " + offset + "+" + length + " of " + file + ", which has "
                        + size + " bytes (truncated?)");
            }
            if (length > budget[0]) {
                throw problems.error("the model and its external data exceed the " + maxBytes()
                        + " bytes RankForge reads (" + InputLimits.PREFIX + "model-bytes); "
                        + InputLimits.howToRaise("model-bytes"));
            }
            budget[0] -= length;
            ByteBuffer bytes = ByteBuffer.allocate((int) length);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                while (bytes.hasRemaining()) {
                    if (ch.read(bytes, offset + bytes.position()) < 0) {
                        throw problems.error(where + ": " + file + " ended early");
                    }
                }
            } catch (IOException e) {
                throw problems.error("cannot read " + file + ": " + firstLine(e.getMessage()));
            }
            bytes.flip();
            return t.toBuilder()
                    .clearExternalData()
                    .setDataLocation(TensorProto.DataLocation.DEFAULT)
                    .setRawData(ByteString.copyFrom(bytes))
                    .build();
        };
    }

    private static long parse(String value, String where, OnnxProblems problems) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw problems.error(where + " has an invalid external data offset or length '" + value + "'");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        return s.lines().findFirst().orElse(s);
    }
}
