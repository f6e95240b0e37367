package io.rankforge.importer.caffe;

import static io.rankforge.importer.caffe.CaffeTestNet.asFloat;
import static io.rankforge.importer.caffe.CaffeTestNet.blob;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.caffe.CaffeReference.Map3;
import io.rankforge.runtime.NativeBackend;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each supported Caffe layer type, in a network the test writes with known weights, imports into a
 * graph that computes what a hand computation of Caffe's arithmetic gives.
 */
class CaffeLayerImportTest {
    private static final double TOL = 2e-5;

    @TempDir
    Path dir;

    private ComputationGraph load(CaffeTestNet net) {
        ImportedModel m = CaffeImporter.load(net.write(dir, "net"), null);
        return (ComputationGraph) m.network();
    }

    private static INDArray array(Map3 m) {
        float[] f = new float[m.v().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) m.v()[i];
        }
        return Nd4j.create(f, new long[] {1, m.c(), m.h(), m.w()}, 'c');
    }

    private static Map3 input(CaffeTestNet net, int c, int h, int w) {
        return new Map3(c, h, w, asFloat(net.values(c * h * w)));
    }

    private static void assertMapEquals(Map3 expected, INDArray actual) {
        assertArrayEquals(new long[] {1, expected.c(), expected.h(), expected.w()}, actual.shape(), "output shape");
        double[] got = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        assertArrayEquals(expected.v(), got, TOL);
    }

    private static String conv(String name, String bottom, String params) {
        return "layer { name: \"" + name + "\" type: \"Convolution\" bottom: \"" + bottom + "\" top: \"" + name + "\"\n"
                + "  param { lr_mult: 1 decay_mult: 1 }\n"
                + "  convolution_param { " + params + " weight_filler { type: \"msra\" } } }";
    }

    @Test
    void convolutionWithBiasPaddingAndStride() {
        CaffeTestNet net = new CaffeTestNet("conv", 1)
                .input("data", 2, 5, 6)
                .layer(conv("c1", "data", "num_output: 3 pad: 1 kernel_size: 3 stride: 2"));
        double[] w = asFloat(net.values(3 * 2 * 3 * 3));
        double[] b = asFloat(net.values(3));
        net.weights("c1", blob(w, 3, 2, 3, 3), blob(b, 3));
        Map3 x = input(net, 2, 5, 6);
        assertMapEquals(
                CaffeReference.conv(x, w, b, 3, 3, 3, 2, 2, 1, 1), load(net).outputSingle(array(x)));
    }

    @Test
    void convolutionWithoutBiasAndRectangularKernel() {
        CaffeTestNet net = new CaffeTestNet("conv_nobias", 2)
                .input("data", 3, 7, 6)
                .layer(conv(
                        "c1",
                        "data",
                        "num_output: 4 bias_term: false kernel_h: 3 kernel_w: 2 "
                                + "pad_h: 1 pad_w: 0 stride_h: 1 stride_w: 2"));
        double[] w = asFloat(net.values(4 * 3 * 3 * 2));
        net.weights("c1", blob(w, 4, 3, 3, 2));
        Map3 x = input(net, 3, 7, 6);
        assertMapEquals(
                CaffeReference.conv(x, w, null, 4, 3, 2, 1, 2, 1, 0), load(net).outputSingle(array(x)));
    }

    @Test
    void batchNormAndScaleFoldIntoOneLayerWithCaffesStatistics() {
        CaffeTestNet net = new CaffeTestNet("bn", 3)
                .input("data", 3, 4, 4)
                .layer("layer { name: \"bn\" type: \"BatchNorm\" bottom: \"data\" top: \"data\"\n"
                        + "  param { lr_mult: 0 } param { lr_mult: 0 } param { lr_mult: 0 }\n"
                        + "  batch_norm_param { eps: 0.001 } }")
                .layer("layer { name: \"sc\" type: \"Scale\" bottom: \"data\" top: \"data\" scale_param { "
                        + "bias_term: true } }");
        // statistics as Caffe accumulates them: sums weighted by a moving-average factor (here 4.75)
        double factor = 4.75;
        double[] mean = {0.8 * factor, -1.5 * factor, 0.1 * factor};
        double[] var = {2.0 * factor, 0.25 * factor, 0.04 * factor};
        double[] gamma = {1.5, -0.7, 2.2};
        double[] beta = {0.3, 1.1, -0.4};
        net.weights("bn", blob(mean, 3), blob(var, 3), blob(new double[] {factor}, 1))
                .weights("sc", blob(gamma, 3), blob(beta, 3));
        Map3 x = input(net, 3, 4, 4);
        ComputationGraph g = load(net);
        // one DL4J layer, named after the BatchNorm; the Scale is folded into it
        assertInstanceOf(BatchNormalization.class, g.getLayer("bn").conf().getLayer());
        assertEquals(null, g.getVertex("sc"));
        assertMapEquals(
                CaffeReference.batchNormScale(
                        x, asFloat(mean), asFloat(var), factor, 0.001, asFloat(gamma), asFloat(beta)),
                g.outputSingle(array(x)));
    }

    @Test
    void batchNormAloneAndScaleWithoutBias() {
        CaffeTestNet net = new CaffeTestNet("bn2", 4)
                .input("data", 2, 3, 3)
                .layer("layer { name: \"bn_only\" type: \"BatchNorm\" bottom: \"data\" top: \"n1\" }")
                .layer("layer { name: \"relu\" type: \"ReLU\" bottom: \"n1\" top: \"n1\" }")
                .layer("layer { name: \"bn2\" type: \"BatchNorm\" bottom: \"n1\" top: \"n2\" }")
                .layer("layer { name: \"sc2\" type: \"Scale\" bottom: \"n2\" top: \"n2\" }");
        double[] mean1 = {0.5, -0.25};
        double[] var1 = {0.75, 1.5};
        double[] mean2 = {0.2, 0.4};
        double[] var2 = {0.1, 0.3};
        double[] gamma2 = {3.0, -2.0};
        net.weights("bn_only", blob(mean1, 2), blob(var1, 2), blob(new double[] {0.5}, 1))
                .weights("bn2", blob(mean2, 2), blob(var2, 2), blob(new double[] {1.0}, 1))
                .weights("sc2", blob(gamma2, 2));
        Map3 x = input(net, 2, 3, 3);
        Map3 n1 = CaffeReference.relu(CaffeReference.batchNormScale(x, mean1, var1, 0.5, 1e-5, null, null), 0);
        Map3 expected = CaffeReference.batchNormScale(n1, mean2, var2, 1.0, 1e-5, gamma2, new double[2]);
        assertMapEquals(expected, load(net).outputSingle(array(x)));
    }

    @Test
    void reluAndLeakyRelu() {
        CaffeTestNet net = new CaffeTestNet("relu", 5)
                .input("data", 2, 3, 4)
                .layer("layer { name: \"leaky\" type: \"ReLU\" bottom: \"data\" top: \"a\" relu_param { "
                        + "negative_slope: 0.1 } }")
                .layer("layer { name: \"plain\" type: \"ReLU\" bottom: \"data\" top: \"b\" }")
                .layer("layer { name: \"sum\" type: \"Eltwise\" bottom: \"a\" bottom: \"b\" top: \"s\" }");
        Map3 x = input(net, 2, 3, 4);
        Map3 a = CaffeReference.relu(x, 0.1);
        Map3 b = CaffeReference.relu(x, 0);
        Map3 expected = Map3.zeros(2, 3, 4);
        for (int i = 0; i < expected.v().length; i++) {
            expected.v()[i] = a.v()[i] + b.v()[i];
        }
        INDArray in = array(x);
        INDArray before = in.dup();
        assertMapEquals(expected, load(net).outputSingle(in));
        assertEquals(before, in, "the caller's input array is left as it was");
    }

    @Test
    void eltwiseSumProductAndMaxOfTwoBranches() {
        for (String op : List.of("SUM", "PROD", "MAX")) {
            CaffeTestNet net = new CaffeTestNet("elt_" + op, 6)
                    .input("data", 2, 4, 4)
                    .layer(conv("left", "data", "num_output: 2 pad: 1 kernel_size: 3"))
                    .layer(conv("right", "data", "num_output: 2 kernel_size: 1"))
                    .layer("layer { name: \"join\" type: \"Eltwise\" bottom: \"left\" bottom: \"right\" top: \"join\"\n"
                            + "  eltwise_param { operation: " + op + " } }");
            double[] wl = asFloat(net.values(2 * 2 * 9));
            double[] bl = asFloat(net.values(2));
            double[] wr = asFloat(net.values(2 * 2));
            double[] br = asFloat(net.values(2));
            net.weights("left", blob(wl, 2, 2, 3, 3), blob(bl, 2)).weights("right", blob(wr, 2, 2, 1, 1), blob(br, 2));
            Map3 x = input(net, 2, 4, 4);
            Map3 l = CaffeReference.conv(x, wl, bl, 2, 3, 3, 1, 1, 1, 1);
            Map3 r = CaffeReference.conv(x, wr, br, 2, 1, 1, 1, 1, 0, 0);
            Map3 expected = Map3.zeros(2, 4, 4);
            for (int i = 0; i < expected.v().length; i++) {
                double u = l.v()[i];
                double v = r.v()[i];
                expected.v()[i] = switch (op) {
                    case "SUM" -> u + v;
                    case "PROD" -> u * v;
                    default -> Math.max(u, v);
                };
            }
            assertMapEquals(expected, load(net).outputSingle(array(x)));
        }
    }

    /** Pooling geometries where DL4J's floor and Caffe's ceil agree, and where they do not. */
    @Test
    void poolingMatchesCaffeIncludingItsRoundingUp() {
        record Case(String pool, int h, int w, int k, int s, int p) {}
        List<Case> cases = List.of(
                new Case("MAX", 6, 6, 3, 2, 0), // Caffe 3×3, DL4J's floor would give 2×2
                new Case("MAX", 6, 7, 3, 2, 1), // padded and rounded up: 4×4 (DL4J 3×4)
                new Case("MAX", 5, 5, 2, 2, 0), // rounded up with a kernel equal to the stride
                new Case("MAX", 8, 8, 2, 2, 0), // exact
                new Case("AVE", 5, 5, 3, 2, 1), // exact with padding: divisor counts the padding
                new Case("AVE", 6, 6, 3, 2, 0), // rounded up, last window divides by its real cells
                new Case("AVE", 7, 5, 3, 3, 0)); // rounded up in both directions
        int seed = 10;
        for (Case c : cases) {
            CaffeTestNet net = new CaffeTestNet("pool", seed++)
                    .input("data", 2, c.h(), c.w())
                    .layer("layer { name: \"pool\" type: \"Pooling\" bottom: \"data\" top: \"pool\"\n"
                            + "  pooling_param { pool: " + c.pool() + " kernel_size: " + c.k() + " stride: " + c.s()
                            + " pad: " + c.p() + " } }");
            Map3 x = input(net, 2, c.h(), c.w());
            Map3 expected = CaffeReference.pool(x, c.pool().equals("MAX"), c.k(), c.k(), c.s(), c.s(), c.p(), c.p());
            boolean roundedUp = (c.h() - c.k()) % c.s() != 0 || (c.w() - c.k()) % c.s() != 0;
            if (c.pool().equals("AVE")
                    && roundedUp
                    && c.s() >= c.k()
                    && NativeBackend.selected() == NativeBackend.Build.ONEDNN_AVX2) {
                // oneDNN refuses the emulation's padding >= kernel: the import says so instead of failing mid-run
                UserInputException e = assertThrows(UserInputException.class, () -> load(net));
                assertTrue(e.getMessage().contains("RANKFORGE_NATIVE=plain"), e.getMessage());
                continue;
            }
            INDArray got = load(net).outputSingle(array(x));
            assertMapEquals(expected, got);
        }
    }

    @Test
    void globalPoolingMaxAndAverage() {
        for (String pool : List.of("MAX", "AVE")) {
            CaffeTestNet net = new CaffeTestNet("gpool", 20)
                    .input("data", 3, 5, 4)
                    .layer("layer { name: \"gp\" type: \"Pooling\" bottom: \"data\" top: \"gp\"\n"
                            + "  pooling_param { pool: " + pool + " global_pooling: true } }");
            Map3 x = input(net, 3, 5, 4);
            assertMapEquals(
                    CaffeReference.pool(x, pool.equals("MAX"), 5, 4, 1, 1, 0, 0),
                    load(net).outputSingle(array(x)));
        }
    }

    @Test
    void innerProductFlattensChannelsFirstAndSoftmaxEndsTheNetwork() {
        CaffeTestNet net = new CaffeTestNet("fc", 30)
                .input("data", 2, 3, 3)
                .layer(conv("c1", "data", "num_output: 3 kernel_size: 2"))
                .layer("layer { name: \"fc1\" type: \"InnerProduct\" bottom: \"c1\" top: \"fc1\"\n"
                        + "  param { lr_mult: 1 } param { lr_mult: 2 } inner_product_param { num_output: 5 } }")
                .layer("layer { name: \"fc2\" type: \"InnerProduct\" bottom: \"fc1\" top: \"fc2\"\n"
                        + "  inner_product_param { num_output: 4 bias_term: false } }")
                .layer("layer { name: \"prob\" type: \"Softmax\" bottom: \"fc2\" top: \"prob\" }")
                .layer("layer { name: \"loss\" type: \"SoftmaxWithLoss\" bottom: \"fc2\" bottom: \"label\" "
                        + "top: \"loss\" }");
        double[] wc = asFloat(net.values(3 * 2 * 4));
        double[] bc = asFloat(net.values(3));
        double[] w1 = asFloat(net.values(5 * 12));
        double[] b1 = asFloat(net.values(5));
        double[] w2 = asFloat(net.values(4 * 5));
        net.weights("c1", blob(wc, 3, 2, 2, 2), blob(bc, 3))
                .weights("fc1", blob(w1, 5, 12), blob(b1, 5))
                .weights("fc2", blob(w2, 4, 5));
        Map3 x = input(net, 2, 3, 3);
        double[] expected = CaffeReference.softmax(CaffeReference.innerProduct(
                CaffeReference.innerProduct(
                        CaffeReference.conv(x, wc, bc, 3, 2, 2, 1, 1, 0, 0).v(), w1, b1, 5),
                w2,
                null,
                4));
        ComputationGraph g = load(net);
        assertInstanceOf(LossLayer.class, g.getLayer("prob").conf().getLayer(), "softmax output can be fine-tuned");
        INDArray got = g.outputSingle(array(x));
        assertArrayEquals(expected, got.castTo(DataType.DOUBLE).data().asDouble(), TOL);
    }

    @Test
    void dataLayerTransformTakesUnitPixelsAndAppliesMeanAndScale() {
        // TRAIN data layer crops to 4×4; TEST has no crop; per-channel means; a TRAIN-only layer that is ignored
        CaffeTestNet net = new CaffeTestNet("transform", 40)
                .layer("layer { name: \"data\" type: \"Data\" top: \"data\" top: \"label\" include { phase: TRAIN }\n"
                        + "  transform_param { scale: 0.02 mirror: true crop_size: 4 mean_value: 100 "
                        + "mean_value: 120 }\n"
                        + "  data_param { source: \"train_lmdb\" batch_size: 64 backend: LMDB } }")
                .layer("layer { name: \"data\" type: \"Data\" top: \"data\" top: \"label\" include { phase: TEST }\n"
                        + "  transform_param { scale: 0.02 mean_value: 100 mean_value: 120 }\n"
                        + "  data_param { source: \"test_lmdb\" batch_size: 100 backend: LMDB } }")
                .layer(conv("c1", "data", "num_output: 1 kernel_size: 1"))
                .layer("layer { name: \"train_only\" type: \"Python\" bottom: \"c1\" top: \"x\" include { "
                        + "phase: TRAIN } }");
        double[] w = {1.0, 2.0};
        net.weights("c1", blob(w, 1, 2, 1, 1), blob(new double[] {0.5}, 1));
        ImportedModel m = CaffeImporter.load(net.write(dir, "net"), null);
        assertEquals(InputType.convolutional(4, 4, 2), m.inputType());
        Map3 unit = Map3.zeros(2, 4, 4);
        for (int i = 0; i < unit.v().length; i++) {
            unit.v()[i] = (float) ((i * 37 % 256) / 255.0);
        }
        Map3 caffeBlob = Map3.zeros(2, 4, 4);
        double[] means = {100, 120};
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    caffeBlob.set(c, y, x, (unit.at(c, y, x) * 255 - means[c]) * 0.02);
                }
            }
        }
        Map3 expected = CaffeReference.conv(caffeBlob, w, new double[] {0.5}, 1, 1, 1, 1, 1, 0, 0);
        assertMapEquals(expected, ((ComputationGraph) m.network()).outputSingle(array(unit)));
        assertTrue(m.notes().get(0).contains("[0, 1]"), m.notes().toString());
    }

    @Test
    void dropoutIsIdentityAtTestTime() {
        CaffeTestNet net = new CaffeTestNet("drop", 50)
                .input("data", 1, 2, 2)
                .layer("layer { name: \"drop\" type: \"Dropout\" bottom: \"data\" top: \"data\" "
                        + "dropout_param { dropout_ratio: 0.5 } }")
                .layer("layer { name: \"relu\" type: \"ReLU\" bottom: \"data\" top: \"out\" }");
        Map3 x = input(net, 1, 2, 2);
        assertMapEquals(CaffeReference.relu(x, 0), load(net).outputSingle(array(x)));
    }
}
