package io.rankforge.importer.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.InputLayout;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The committed Keras 2 fixtures (src/test/resources/keras, see its README) import through DL4J's
 * importer and compute what a hand computation with their formula weights gives.
 */
class KerasImportTest {
    private static final double TOL = 2e-5;

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(KerasImportTest.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test fixture keras/" + name + " is missing", e);
        }
    }

    /** The fixture weights: 0.5·sin(0.7·i + salt), i the row-major index in Keras's array layout. */
    private static double w(int i, double salt) {
        return (float) (0.5 * Math.sin(0.7 * i + salt));
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            sum += e[i] = Math.exp(z[i] - max);
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static float[] image(int n, int seed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (((i * 7919L + seed * 104729L) % 256) / 255.0);
        }
        return x;
    }

    @Test
    void evaluatorFeedsChannelsLastModelsNhwcBatches() {
        ImportedModel m = KerasImporter.load(fixture("sequential_cnn.h5"));
        assertTrue(io.rankforge.eval.Evaluator.takesChannelsLast(m.network()));
        int n = 6;
        float[] px = new float[n * 28 * 28];
        for (int k = 0; k < n; k++) {
            System.arraycopy(image(28 * 28, k + 2), 0, px, k * 28 * 28, 28 * 28);
        }
        INDArray nchw = Nd4j.create(px, new long[] {n, 1, 28, 28}, 'c');
        long[] predicted = ((MultiLayerNetwork) m.network())
                .output(InputLayout.forModel(nchw, m.inputType()))
                .argMax(1)
                .toLongVector();
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            labels[k] = (int) predicted[k];
        }
        // NCHW images, as every RankForge dataset holds them: the evaluator must permute them itself
        io.rankforge.eval.Evaluation e =
                io.rankforge.eval.Evaluator.evaluate(m.network(), io.rankforge.data.ImageDataset.of(nchw, labels), 4);
        assertEquals(1.0, e.accuracy(), 0.0);
    }

    @Test
    void sequentialCnnComputesItsFormulaWeights() {
        ImportedModel m = KerasImporter.load(fixture("sequential_cnn.h5"));
        MultiLayerNetwork net = assertInstanceOf(MultiLayerNetwork.class, m.network());
        assertEquals(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC), m.inputType());
        assertEquals("conv", net.getLayer(0).conf().getLayer().getLayerName());

        float[] px = image(28 * 28, 1); // one channel: NHWC and NCHW hold the same numbers
        // hand computation, Keras semantics: conv 3×3 valid + relu, max pool 2×2, flatten (h, w, c), dense + softmax
        double[][][] conv = new double[26][26][4];
        for (int y = 0; y < 26; y++) {
            for (int x = 0; x < 26; x++) {
                for (int o = 0; o < 4; o++) {
                    double s = w(o, 0.2);
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            s += w((i * 3 + j) * 4 + o, 0.1) * px[(y + i) * 28 + x + j];
                        }
                    }
                    conv[y][x][o] = Math.max(0, s);
                }
            }
        }
        double[] flat = new double[13 * 13 * 4];
        for (int y = 0; y < 13; y++) {
            for (int x = 0; x < 13; x++) {
                for (int o = 0; o < 4; o++) {
                    double mx = Math.max(
                            Math.max(conv[2 * y][2 * x][o], conv[2 * y][2 * x + 1][o]),
                            Math.max(conv[2 * y + 1][2 * x][o], conv[2 * y + 1][2 * x + 1][o]));
                    flat[(y * 13 + x) * 4 + o] = mx;
                }
            }
        }
        double[] z = new double[10];
        for (int u = 0; u < 10; u++) {
            z[u] = w(u, 0.4);
            for (int k = 0; k < flat.length; k++) {
                z[u] += w(k * 10 + u, 0.3) * flat[k];
            }
        }
        INDArray nchw = Nd4j.create(px, new long[] {1, 1, 28, 28}, 'c');
        INDArray out = net.output(InputLayout.forModel(nchw, m.inputType()));
        assertArrayEquals(softmax(z), out.castTo(DataType.DOUBLE).data().asDouble(), TOL);
    }

    @Test
    void functionalModelWithASkipConnectionBecomesAGraph() {
        ImportedModel m = KerasImporter.load(fixture("functional_residual.h5"));
        ComputationGraph g = assertInstanceOf(ComputationGraph.class, m.network());
        assertEquals(InputType.convolutional(8, 8, 2, CNN2DFormat.NHWC), m.inputType());
        float[] nchwValues = image(2 * 8 * 8, 2);
        INDArray nchw = Nd4j.create(nchwValues, new long[] {1, 2, 8, 8}, 'c');
        double[] pooled = new double[3];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                for (int o = 0; o < 3; o++) {
                    double left = w(o, 0.6);
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int yy = y + i - 1;
                            int xx = x + j - 1;
                            if (yy < 0 || yy >= 8 || xx < 0 || xx >= 8) {
                                continue;
                            }
                            for (int c = 0; c < 2; c++) {
                                left += w(((i * 3 + j) * 2 + c) * 3 + o, 0.5) * nchwValues[(c * 8 + yy) * 8 + xx];
                            }
                        }
                    }
                    double right = w(o, 0.8);
                    for (int c = 0; c < 2; c++) {
                        right += w(c * 3 + o, 0.7) * nchwValues[(c * 8 + y) * 8 + x];
                    }
                    pooled[o] += (Math.max(0, left) + right) / 64.0;
                }
            }
        }
        double[] z = new double[4];
        for (int u = 0; u < 4; u++) {
            z[u] = w(u, 1.0);
            for (int k = 0; k < 3; k++) {
                z[u] += w(k * 4 + u, 0.9) * pooled[k];
            }
        }
        INDArray out = g.outputSingle(InputLayout.forModel(nchw, m.inputType()));
        assertArrayEquals(softmax(z), out.castTo(DataType.DOUBLE).data().asDouble(), TOL);
    }

    @Test
    void hdf5FileThatIsNotAKerasModel() {
        Path file = fixture("not_a_keras_model.h5");
        UserInputException e = assertThrows(UserInputException.class, () -> KerasImporter.load(file));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("not a Keras model"),
                e.getMessage());
    }

    @Test
    void fileThatIsNotHdf5() throws IOException {
        Path file = dir.resolve("model.h5");
        Files.writeString(file, "{\"class_name\": \"Sequential\"}");
        UserInputException e = assertThrows(UserInputException.class, () -> KerasImporter.load(file));
        assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
    }

    @Test
    void truncatedKerasFile() throws IOException {
        byte[] full = Files.readAllBytes(fixture("sequential_cnn.h5"));
        Path file = dir.resolve("cut.h5");
        Files.write(file, java.util.Arrays.copyOf(full, full.length / 3));
        UserInputException e = assertThrows(UserInputException.class, () -> KerasImporter.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
