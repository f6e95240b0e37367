package io.rankforge.importer.caffe;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import io.rankforge.UserInputException;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Reads Caffe's two files: the binary weights (.caffemodel) and the text definition (.prototxt). */
public final class CaffeFiles {
    /** Caffe's deprecated V1 layer list (NetParameter field 2), which this importer does not read. */
    private static final int V1_LAYERS_FIELD = 2;
    /** protobuf's text parser logs skipped fields here (java.util.logging); held so its level sticks. */
    private static final Logger TEXT_FORMAT_LOG = Logger.getLogger(TextFormat.class.getName());

    private CaffeFiles() {}

    /** Parses a binary NetParameter; a truncated or corrupt file fails with a one-line message. */
    public static NetParameter readWeights(Path caffemodel) {
        requireFile(caffemodel, "Caffe model");
        NetParameter net;
        try (InputStream in = Files.newInputStream(caffemodel)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            // weights files exceed protobuf's 64 MiB default; the file's size is already within the model limit
            coded.setSizeLimit((int) Math.min(InputLimits.current().modelBytes(), Integer.MAX_VALUE));
            net = NetParameter.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new UserInputException(
                    "Caffe model " + caffemodel + " is not a readable binary NetParameter (truncated or corrupt: "
                            + e.getMessage() + "); give the .caffemodel that Caffe saved",
                    e);
        } catch (IOException e) {
            throw new UserInputException("cannot read Caffe model " + caffemodel + ": " + e.getMessage(), e);
        }
        if (net.getLayerCount() == 0) {
            if (net.getUnknownFields().hasField(V1_LAYERS_FIELD)) {
                throw new UserInputException("Caffe model " + caffemodel + " uses Caffe's old V1 layer format; "
                        + "upgrade it with Caffe's upgrade_net_proto_binary tool first");
            }
            throw new UserInputException("Caffe model " + caffemodel + " holds no layers "
                    + "(not a .caffemodel, or truncated); give the .caffemodel that Caffe saved");
        }
        return net;
    }

    /** Parses a text NetParameter; fields this importer does not use (fillers, solver hints) are skipped. */
    public static NetParameter readDefinition(Path prototxt) {
        requireFile(prototxt, "Caffe prototxt");
        String text = BoundedInput.readString(
                prototxt, InputLimits.current().textBytes(), "Caffe prototxt " + prototxt, "text-bytes");
        NetParameter.Builder builder = NetParameter.newBuilder();
        synchronized (TEXT_FORMAT_LOG) {
            // skipping the fields this importer does not read is intended: protobuf's warning listing
            // every one of them (hundreds for a ResNet) would only be noise
            Level before = TEXT_FORMAT_LOG.getLevel();
            TEXT_FORMAT_LOG.setLevel(Level.SEVERE);
            try {
                TextFormat.Parser.newBuilder()
                        .setAllowUnknownFields(true)
                        .build()
                        .merge(text, builder);
            } catch (TextFormat.ParseException e) {
                throw new UserInputException(
                        "Caffe prototxt " + prototxt + " is not valid Caffe text format at line " + e.getLine()
                                + ", column " + e.getColumn() + ": " + e.getMessage(),
                        e);
            } finally {
                TEXT_FORMAT_LOG.setLevel(before);
            }
        }
        NetParameter net = builder.build();
        if (net.getLayerCount() == 0) {
            throw new UserInputException("Caffe prototxt " + prototxt + " defines no 'layer { ... }' entries "
                    + "(old V1 'layers' files must be upgraded with Caffe's upgrade_net_proto_text first)");
        }
        return net;
    }

    /**
     * The prototxt that belongs to a .caffemodel when none is given: {@code <name>.prototxt} beside it,
     * else {@code deploy.prototxt}, else the only {@code *.prototxt} in its folder.
     */
    public static Path prototxtBeside(Path caffemodel) {
        Path dir = caffemodel.toAbsolutePath().getParent();
        String file = caffemodel.getFileName().toString();
        String stem = file.endsWith(".caffemodel") ? file.substring(0, file.length() - ".caffemodel".length()) : file;
        for (Path candidate : List.of(dir.resolve(stem + ".prototxt"), dir.resolve("deploy.prototxt"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.prototxt")) {
            files.forEach(found::add);
        } catch (IOException e) {
            throw new UserInputException(
                    "cannot list " + dir + " to find the prototxt of " + caffemodel + "; give it as prototxtFile", e);
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        throw new UserInputException("Caffe model " + caffemodel + " needs its network definition: "
                + (found.isEmpty() ? "no .prototxt beside it" : found.size() + " .prototxt files beside it")
                + "; give it as prototxtFile");
    }

    static void requireFile(Path path, String what) {
        if (!Files.isRegularFile(path)) {
            throw new UserInputException(what + " " + path + " does not exist or is not a file");
        }
    }
}
