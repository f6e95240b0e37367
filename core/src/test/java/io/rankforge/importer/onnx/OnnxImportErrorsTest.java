package io.rankforge.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.export.OnnxExporter;
import io.rankforge.model.ModelLoader;
import io.rankforge.onnx.proto.OnnxProto.ModelProto;
import io.rankforge.onnx.proto.OnnxProto.NodeProto;
import io.rankforge.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.rankforge.onnx.proto.OnnxProto.StringStringEntryProto;
import io.rankforge.onnx.proto.OnnxProto.TensorProto;
import io.rankforge.zoo.ZooArchitecture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad ONNX input, on real ONNX files (RankForge's own export of LeNet-5, edited): every failure is a one-line
 * UserInputException that names the file, and the node where one is to blame.
 */
class OnnxImportErrorsTest {
    @TempDir
    static Path dir;

    static ModelProto lenet;
    static byte[] bytes;

    @BeforeAll
    static void export() {
        lenet = OnnxExporter.toOnnx(ZooArchitecture.LENET5.build(1), ZooArchitecture.LENET5.inputType(), "test");
        bytes = lenet.toByteArray();
    }

    @Test
    void theUneditedFileImports() throws IOException {
        Path f = Files.write(dir.resolve("lenet.onnx"), bytes);
        assertEquals(
                4,
                io.rankforge.model.NetworkDescriber.describe(
                                ModelLoader.load(f).model(), ZooArchitecture.LENET5.inputType())
                        .layers()
                        .size());
    }

    @Test
    void truncatedAnywhereIsAOneLineErrorNamingTheFile() throws IOException {
        int[] cuts = {
            1,
            2,
            5,
            17,
            64,
            200,
            bytes.length / 10,
            bytes.length / 3,
            bytes.length / 2,
            bytes.length - 1000,
            bytes.length - 7,
            bytes.length - 1
        };
        for (int cut : cuts) {
            Path f = Files.write(dir.resolve("cut-" + cut + ".onnx"), Arrays.copyOf(bytes, cut));
            UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(f), "cut at " + cut);
            assertOneLine(e, f.toString());
        }
    }

    @Test
    void emptyAndNonOnnxFiles() throws IOException {
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertOneLine(assertThrows(UserInputException.class, () -> ModelLoader.load(empty)), empty + " is empty");
        Path text = Files.writeString(dir.resolve("text.onnx"), "this is not a protobuf\n");
        assertOneLine(assertThrows(UserInputException.class, () -> ModelLoader.load(text)), text.toString());
    }

    @Test
    void filesOverTheLimitAreRefusedBeforeReading() throws IOException {
        Path big = dir.resolve("big.onnx");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(OnnxFiles.maxBytes() + 1); // sparse: no bytes are written or read
        }
        UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(big));
        assertOneLine(e, big.toString(), String.valueOf(OnnxFiles.maxBytes()));
        Files.delete(big);
    }

    @Test
    void unsupportedOperatorIsNamedWithItsNode() throws IOException {
        ModelProto.Builder m = lenet.toBuilder();
        NodeProto relu = m.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Relu"))
                .findFirst()
                .orElseThrow();
        int i = m.getGraph().getNodeList().indexOf(relu);
        m.getGraphBuilder().setNode(i, relu.toBuilder().setOpType("Sigmoid"));
        Path f = Files.write(dir.resolve("sigmoid.onnx"), m.build().toByteArray());
        UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(f));
        assertOneLine(e, f.toString(), "node '" + relu.getName() + "'", "operator 'Sigmoid'");

        ModelProto.Builder lstm = lenet.toBuilder();
        lstm.getGraphBuilder().setNode(0, lstm.getGraph().getNode(0).toBuilder().setOpType("LSTM"));
        Path l = Files.write(dir.resolve("lstm.onnx"), lstm.build().toByteArray());
        assertOneLine(assertThrows(UserInputException.class, () -> ModelLoader.load(l)), "operator 'LSTM'", "conv1");
    }

    @Test
    void groupedConvolutionIsRefusedNamingTheNode() throws IOException {
        ModelProto.Builder m = lenet.toBuilder();
        NodeProto conv2 = m.getGraph().getNodeList().stream()
                .filter(n -> n.getName().equals("conv2"))
                .findFirst()
                .orElseThrow();
        NodeProto.Builder grouped = conv2.toBuilder().clearAttribute();
        conv2.getAttributeList().stream()
                .filter(a -> !a.getName().equals("group"))
                .forEach(grouped::addAttribute);
        grouped.addAttribute(
                conv2.getAttributeList().stream()
                        .filter(a -> a.getName().equals("group"))
                        .findFirst()
                        .orElseThrow()
                        .toBuilder()
                        .setI(2));
        m.getGraphBuilder().setNode(m.getGraph().getNodeList().indexOf(conv2), grouped);
        Path f = Files.write(dir.resolve("grouped.onnx"), m.build().toByteArray());
        assertOneLine(assertThrows(UserInputException.class, () -> ModelLoader.load(f)), "'conv2'", "group = 2");
    }

    @Test
    void opsetOutsideTheSupportedRange() throws IOException {
        ModelProto old = lenet.toBuilder()
                .setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("").setVersion(9))
                .build();
        Path f = Files.write(dir.resolve("opset9.onnx"), old.toByteArray());
        assertOneLine(assertThrows(UserInputException.class, () -> ModelLoader.load(f)), "opset 9", "13 to");
    }

    @Test
    void externalDataMustStayInTheModelsFolderAndExist() throws IOException {
        for (String location : new String[] {"../outside.data", "missing.data"}) {
            ModelProto.Builder m = lenet.toBuilder();
            TensorProto w = m.getGraph().getInitializer(0);
            m.getGraphBuilder()
                    .setInitializer(
                            0,
                            w.toBuilder()
                                    .clearRawData()
                                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                                    .addExternalData(StringStringEntryProto.newBuilder()
                                            .setKey("location")
                                            .setValue(location)));
            Path sub = Files.createDirectories(dir.resolve("external"));
            Path f = Files.write(sub.resolve("ext.onnx"), m.build().toByteArray());
            assertOneLine(
                    assertThrows(UserInputException.class, () -> ModelLoader.load(f)),
                    f.toString(),
                    "'" + w.getName() + "'");
        }
    }

    @Test
    void initializerDimensionsThatOverflowAreRefused() throws IOException {
        ModelProto.Builder m = lenet.toBuilder();
        TensorProto w = m.getGraph().getInitializer(0);
        m.getGraphBuilder()
                .setInitializer(
                        0,
                        w.toBuilder()
                                .clearDims()
                                .addDims(1L << 33)
                                .addDims(1L << 31)
                                .addDims(0));
        Path f = Files.write(dir.resolve("overflow.onnx"), m.build().toByteArray());
        assertOneLine(
                assertThrows(UserInputException.class, () -> ModelLoader.load(f)),
                f.toString(),
                "'" + w.getName() + "' has invalid dimensions");
    }

    @Test
    void sanitisedNamesKeepLettersDigitsUnderscoresAndDashes() {
        assertEquals("layer1_conv_Conv", OnnxGraphBuilder.sanitise("/layer1/conv/Conv"));
        assertEquals("node_Conv_12", OnnxGraphBuilder.sanitise("node_Conv_12"));
        assertEquals("a_b-c", OnnxGraphBuilder.sanitise("a.b-c"));
        assertEquals("node", OnnxGraphBuilder.sanitise("///"));
    }

    private static void assertOneLine(UserInputException e, String... mentions) {
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), "one line: " + m);
        for (String s : mentions) {
            assertTrue(m.contains(s), "'" + s + "' in: " + m);
        }
    }
}
