package io.rankforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** ModelLoader reads Caffe and Keras models as well as DL4J zips. */
class ModelLoaderImportTest {
    private static final Path RES56 = ReferenceData.reference("enc/res56/res56.caffemodel");
    private static final Path RES56_PROTOTXT = ReferenceData.reference("enc/res56/train_val_test.prototxt");

    @TempDir
    Path dir;

    @Test
    void caffeModelWithItsPrototxtBesideIt() {
        LoadedModel m = ModelLoader.load(RES56);
        assertTrue(m.isGraph());
        assertEquals(InputType.convolutional(32, 32, 3), m.inputType());
        // the reference README's digest of the weights file
        assertEquals("15c467a55423e2a87b062cfd3e97786cfdb8bde3497e47e7ef33146afb921846", m.sha256());
        assertEquals(RES56, m.path());
        double total =
                m.output(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32)).sumNumber().doubleValue();
        assertEquals(1.0, total, 1e-5);
    }

    @Test
    void caffeModelWithAGivenPrototxt() throws IOException {
        Path alone = Files.copy(RES56, dir.resolve("weights.caffemodel"));
        UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(alone));
        assertTrue(e.getMessage().contains("prototxtFile"), e.getMessage());
        LoadedModel m = ModelLoader.load(alone, RES56_PROTOTXT);
        assertEquals(InputType.convolutional(32, 32, 3), m.inputType());
        assertTrue(m.asComputationGraph().getVertex("group2_block8_conv1") != null);
    }

    @Test
    void kerasModel() throws URISyntaxException {
        Path h5 = Path.of(ModelLoaderImportTest.class
                .getResource("/keras/sequential_cnn.h5")
                .toURI());
        LoadedModel m = ModelLoader.load(h5);
        assertEquals("MultiLayerNetwork", m.kind());
        assertEquals(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC), m.inputType());
        assertTrue(ModelLoader.supportedExtensions().containsAll(java.util.List.of("zip", "caffemodel", "h5", "hdf5")));
    }

    @Test
    void prototxtOnlyWithAnExistingFileAndACaffeModel() throws IOException {
        Path zip = Files.writeString(dir.resolve("net.zip"), "x");
        UserInputException e1 = assertThrows(UserInputException.class, () -> ModelLoader.load(zip, RES56_PROTOTXT));
        assertTrue(e1.getMessage().contains("only"), e1.getMessage());
        Path missing = dir.resolve("missing.prototxt");
        UserInputException e2 = assertThrows(UserInputException.class, () -> ModelLoader.load(RES56, missing));
        assertTrue(e2.getMessage().contains(missing.toString()), e2.getMessage());
    }
}
