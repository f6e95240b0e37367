package io.rankforge.importer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.model.ModelImports;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class ModelImportsTest {
    private static Path keras(String name) throws URISyntaxException {
        return Path.of(ModelImportsTest.class.getResource("/keras/" + name).toURI());
    }

    @Test
    void recognisesForeignModelFilesByName() {
        assertTrue(ModelImports.handles(Path.of("x/res56.caffemodel")));
        assertTrue(ModelImports.handles(Path.of("model.H5")));
        assertTrue(ModelImports.handles(Path.of("model.hdf5")));
        assertFalse(ModelImports.handles(Path.of("lenet.zip")));
    }

    @Test
    void kerasFileImportsThroughTheDispatcher() throws URISyntaxException {
        ImportedModel m = ModelImports.load(keras("sequential_cnn.h5"), null);
        assertInstanceOf(MultiLayerNetwork.class, m.network());
    }

    @Test
    void prototxtWithANonCaffeModelIsAnError() throws URISyntaxException {
        UserInputException e = assertThrows(
                UserInputException.class, () -> ModelImports.load(keras("sequential_cnn.h5"), Path.of("net.prototxt")));
        assertTrue(e.getMessage().contains("prototxtFile"), e.getMessage());
    }
}
