package io.rankforge.importer.caffe;

import static io.rankforge.importer.caffe.CaffeTestNet.blob;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad Caffe files fail with one clear message that names the file or the layer. */
class CaffeImportErrorsTest {
    @TempDir
    Path dir;

    private static CaffeTestNet convNet() {
        CaffeTestNet net = new CaffeTestNet("small", 1)
                .input("data", 1, 4, 4)
                .layer("layer { name: \"c1\" type: \"Convolution\" bottom: \"data\" top: \"c1\"\n"
                        + "  convolution_param { num_output: 2 kernel_size: 3 } }");
        return net.weights("c1", blob(net.values(18), 2, 1, 3, 3), blob(net.values(2), 2));
    }

    private UserInputException failure(Path caffemodel, Path prototxt) {
        return assertThrows(UserInputException.class, () -> CaffeImporter.load(caffemodel, prototxt));
    }

    private static void assertMentions(UserInputException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message should mention '" + w + "': " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void truncatedResNet56WeightsFile() throws IOException {
        byte[] full = Files.readAllBytes(ReferenceData.reference("enc/res56/res56.caffemodel"));
        Path cut = dir.resolve("res56.caffemodel");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        Path prototxt = ReferenceData.reference("enc/res56/train_val_test.prototxt");
        assertMentions(failure(cut, prototxt), cut.toString(), "truncated or corrupt");
    }

    @Test
    void corruptWeightsFile() throws IOException {
        Path model = convNet().write(dir, "net");
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        Files.write(model, noise);
        assertMentions(failure(model, null), model.toString());
    }

    @Test
    void unknownLayerTypeNamesTheLayerAndItsType() {
        CaffeTestNet net = convNet()
                .layer("layer { name: \"norm1\" type: \"LRN\" bottom: \"c1\" top: \"norm1\"\n"
                        + "  lrn_param { local_size: 5 alpha: 0.0001 beta: 0.75 } }");
        assertMentions(failure(net.write(dir, "net"), null), "'norm1'", "'LRN'");
    }

    @Test
    void unknownLayerTypeIsReportedBeforeTheWeightsAreRead() throws IOException {
        CaffeTestNet net = convNet().layer("layer { name: \"norm1\" type: \"LRN\" bottom: \"c1\" top: \"norm1\" }");
        Path model = net.write(dir, "net");
        Files.write(model, new byte[] {1, 2, 3});
        assertMentions(failure(model, null), "'norm1'", "'LRN'");
    }

    @Test
    void prototxtThatIsNotCaffeText() throws IOException {
        Path model = convNet().write(dir, "net");
        Files.writeString(dir.resolve("net.prototxt"), "layer { name: \"c1\" type: \"Convolution\" \n bottom: }");
        assertMentions(failure(model, null), "net.prototxt", "line 2");
    }

    @Test
    void weightsThatDoNotBelongToTheDefinition() {
        CaffeTestNet net = new CaffeTestNet("other", 2)
                .input("data", 1, 4, 4)
                .layer("layer { name: \"c1\" type: \"Convolution\" bottom: \"data\" top: \"c1\"\n"
                        + "  convolution_param { num_output: 3 kernel_size: 3 } }");
        net.weights("c1", blob(net.values(18), 2, 1, 3, 3), blob(net.values(2), 2));
        assertMentions(failure(net.write(dir, "net"), null), "'c1'", "belong together");
    }

    @Test
    void groupedConvolutionIsRefused() {
        CaffeTestNet net = new CaffeTestNet("grouped", 3)
                .input("data", 2, 4, 4)
                .layer("layer { name: \"g\" type: \"Convolution\" bottom: \"data\" top: \"g\"\n"
                        + "  convolution_param { num_output: 2 kernel_size: 3 group: 2 } }");
        net.weights("g", blob(net.values(18), 2, 1, 3, 3), blob(net.values(2), 2));
        assertMentions(failure(net.write(dir, "net"), null), "'g'", "group");
    }

    @Test
    void averagePoolingThatCaffeRoundsUpOverPaddingIsRefused() {
        CaffeTestNet net = new CaffeTestNet("avgpad", 4)
                .input("data", 1, 6, 6)
                .layer("layer { name: \"p\" type: \"Pooling\" bottom: \"data\" top: \"p\"\n"
                        + "  pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }");
        assertMentions(failure(net.write(dir, "net"), null), "'p'", "average pooling");
    }

    @Test
    void missingPrototxtAsksForOne() throws IOException {
        Path model = convNet().write(dir, "net");
        Files.delete(dir.resolve("net.prototxt"));
        assertMentions(failure(model, null), "prototxtFile");
    }

    @Test
    void missingWeightsFile() {
        Path model = dir.resolve("absent.caffemodel");
        assertMentions(failure(model, null), model.toString(), "does not exist");
    }
}
