package io.rankforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.data.DataSplits;
import io.rankforge.data.IdxDirectory;
import io.rankforge.io.Sha256;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooArtifacts;
import io.rankforge.zoo.ZooTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Saving zoo networks and loading them back: both DL4J model kinds, sidecars, and bad files. */
class ModelLoaderTest {
    static DataSplits small;

    @TempDir
    static Path dir;

    static TrainedModel lenet;
    static TrainedModel resnet;
    static Path lenetZip;
    static Path resnetZip;

    @BeforeAll
    static void trainAndSave() {
        IdxDirectory d = IdxDirectory.of(Path.of("/usr/share/datasets/fashion-mnist"));
        small = DataSplits.split(d.readTrain().first(700), d.readTest().first(100), 100, 1);
        lenet = ZooTrainer.train(ZooArchitecture.LENET5, "fashion-mnist", small, 1, 1, 0, s -> {});
        resnet = ZooTrainer.train(ZooArchitecture.RESNET_20, "fashion-mnist", small, 1, 1, 192, s -> {});
        lenetZip = dir.resolve("lenet.zip");
        resnetZip = dir.resolve("sub/resnet.zip");
        ZooArtifacts.save(lenet, lenetZip, null);
        ZooArtifacts.save(resnet, resnetZip, null);
    }

    static INDArray output(TrainedModel t, INDArray x) {
        return t.model() instanceof MultiLayerNetwork n
                ? n.output(x, false)
                : ((ComputationGraph) t.model()).outputSingle(false, x);
    }

    @Test
    void roundTripKeepsKindOutputsAndSidecar() {
        for (TrainedModel t : new TrainedModel[] {lenet, resnet}) {
            Path zip = t == lenet ? lenetZip : resnetZip;
            LoadedModel m = ModelLoader.load(zip);
            assertEquals(t.architecture().kind(), m.kind());
            assertEquals(InputType.convolutional(28, 28, 1), m.inputType());
            assertEquals(Sha256.of(zip), m.sha256());
            assertEquals(t.architecture().id(), m.sidecar().get("architecture").asText());
            assertEquals(t.testAccuracy(), m.sidecar().get("test_accuracy").asDouble());
            assertEquals(m.sha256(), m.sidecar().get("model_sha256").asText());
            INDArray x = small.test().first(20).features();
            assertEquals(output(t, x), m.output(x), t.architecture().id() + " outputs survive the round trip");
        }
        assertTrue(ModelLoader.load(resnetZip).isGraph());
        assertFalse(ModelLoader.load(lenetZip).isGraph());
    }

    @Test
    void withoutSidecarTheZooDefinitionGivesTheInputType(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("bare.zip");
        Files.copy(resnetZip, copy);
        LoadedModel m = ModelLoader.load(copy);
        assertTrue(m.sidecarJson().isEmpty());
        assertEquals(InputType.convolutional(28, 28, 1), m.inputType());
    }

    @Test
    void badPathsAreClearUserErrors(@TempDir Path tmp) throws IOException {
        Path none = tmp.resolve("missing.zip");
        UserInputException e1 = assertThrows(UserInputException.class, () -> ModelLoader.load(none));
        assertTrue(
                e1.getMessage().contains(none.toString()) && e1.getMessage().contains("does not exist"),
                e1.getMessage());

        Path text = tmp.resolve("text.zip");
        Files.writeString(text, "not a model");
        UserInputException e2 = assertThrows(UserInputException.class, () -> ModelLoader.load(text));
        assertTrue(e2.getMessage().contains("not a DL4J model zip"), e2.getMessage());

        Path otherZip = tmp.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes());
            z.closeEntry();
        }
        UserInputException e3 = assertThrows(UserInputException.class, () -> ModelLoader.load(otherZip));
        assertTrue(e3.getMessage().contains("configuration.json"), e3.getMessage());

        Path odd = tmp.resolve("model.pb");
        Files.writeString(odd, "x");
        UserInputException e4 = assertThrows(UserInputException.class, () -> ModelLoader.load(odd));
        assertTrue(
                e4.getMessage().contains("unsupported extension")
                        && e4.getMessage().contains(".zip")
                        && e4.getMessage().contains(".onnx"),
                e4.getMessage());

        Path notOnnx = tmp.resolve("model.onnx");
        Files.writeString(notOnnx, "x");
        UserInputException e4b = assertThrows(UserInputException.class, () -> ModelLoader.load(notOnnx));
        assertTrue(e4b.getMessage().startsWith("ONNX model " + notOnnx), e4b.getMessage());

        UserInputException e5 = assertThrows(UserInputException.class, () -> ModelLoader.load(tmp));
        assertTrue(e5.getMessage().contains("not a readable file"), e5.getMessage());
    }
}
