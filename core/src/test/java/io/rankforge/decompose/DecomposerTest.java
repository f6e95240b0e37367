package io.rankforge.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.spectrum.LayerSpectrum;
import io.rankforge.spectrum.Scheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class DecomposerTest {
    static final INDArray IMAGES = TestNetworks.test(200).features();

    @Test
    void fullRankReproducesEveryDecomposedLayerAndTheOutput() {
        for (Model net : TestNetworks.both()) {
            Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
            assertFullRankExact(net, d);
        }
    }

    @Test
    void fullRankIsExactWithNonDefaultSchemesToo() {
        // spatial on the first conv, channel elsewhere, channel on the 1×1 projection
        Model net = TestNetworks.graph();
        var description = NetworkDescriber.describe(net, TestNetworks.INPUT);
        var plan = DecompositionPlan.withSchemes(
                description,
                Map.of(
                        "stem",
                        Scheme.SPATIAL,
                        "b1_conv1",
                        Scheme.CHANNEL,
                        "b1_proj",
                        Scheme.CHANNEL,
                        "down",
                        Scheme.CHANNEL));
        assertFullRankExact(net, Decomposer.of(net, plan));
    }

    private static void assertFullRankExact(Model net, Decomposer d) {
        RankConfiguration full = d.plan().fullRanks();
        Model low = d.decompose(full);
        assertEquals(net.getClass(), low.getClass(), "same kind of network");
        Map<String, INDArray> before = Activations.byName(net, IMAGES);
        Map<String, INDArray> after = Activations.byName(low, IMAGES);
        for (String layer : full.ranks().keySet()) {
            double rel = Activations.relativeDifference(before.get(layer), after.get(layer + "_b"));
            assertTrue(rel <= 1e-4, layer + ": relative difference " + rel);
        }
        INDArray y0 = io.rankforge.eval.Evaluator.output(net, IMAGES);
        INDArray y1 = io.rankforge.eval.Evaluator.output(low, IMAGES);
        double rel = Activations.relativeDifference(y0, y1);
        assertTrue(rel <= 1e-4, "network output: relative difference " + rel);
    }

    @Test
    void unnamedMultiLayerNetworkLayersAreKnownByTheirDefaultNames() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .stride(2, 2)
                        .activation(org.nd4j.linalg.activations.Activation.RELU)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                        .nOut(12)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                        .nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                        .build())
                .setInputType(TestNetworks.INPUT)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        assertEquals(3, d.plan().layers().size());
        assertFullRankExact(net, d);
    }

    @Test
    void weightErrorAtRankEqualsNormOfDroppedSingularValues() {
        for (Model net : TestNetworks.both()) {
            Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
            LinkedHashMap<String, Integer> ranks = new LinkedHashMap<>();
            for (LayerSpec l : d.plan().layers()) {
                ranks.put(l.name(), Math.max(1, d.plan().fullRank(l.name()) / 3));
            }
            Model low = d.decompose(RankConfiguration.of(ranks));
            for (LayerSpec l : d.plan().layers()) {
                int r = ranks.get(l.name());
                LayerSpectrum s = d.factors(l.name()).spectrum();
                double dropped = 0;
                for (int i = r; i < s.size(); i++) {
                    dropped += s.singularValue(i) * s.singularValue(i);
                }
                dropped = Math.sqrt(dropped);
                double[][][][] w = weights(net, l.name(), l);
                double[][][][] eff = composed(low, l, d.plan().scheme(l.name()), r);
                double err = frobeniusDistance(w, eff);
                assertTrue(dropped > 0, l.name() + " drops something at rank " + r);
                assertEquals(dropped, err, 1e-4 * dropped, l.name() + " at rank " + r + " of " + s.size());
            }
        }
    }

    @Test
    void otherLayersAndBatchNormStatisticsAreCopiedAndTheOriginalIsUntouched() {
        ComputationGraph net = TestNetworks.graph();
        INDArray paramsBefore = net.params().dup();
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        ComputationGraph low = (ComputationGraph) d.decompose(RankConfiguration.of(Map.of("b1_conv1", 3, "fc", 5)));
        assertEquals(paramsBefore, net.params(), "original parameters unchanged");
        for (String bn : new String[] {"stem_bn", "b1_bn1", "b1_bn2", "b1_proj_bn"}) {
            for (String key : new String[] {"gamma", "beta", "mean", "var"}) {
                assertEquals(net.getLayer(bn).getParam(key), low.getLayer(bn).getParam(key), bn + " " + key);
            }
        }
        assertEquals(net.getLayer("stem").getParam("W"), low.getLayer("stem").getParam("W"));
        assertEquals(
                net.getLayer("b1_conv1").getParam("b"),
                low.getLayer("b1_conv1_b").getParam("b"));
        assertEquals(null, low.getLayer("b1_conv1_a").getParam("b"), "the first factor has no bias");
        assertEquals(java.util.List.of("output"), low.getConfiguration().getNetworkOutputs());
        assertEquals(
                "b1_conv1_b",
                low.getConfiguration().getVertexInputs().get("b1_bn1").get(0));
        // fc's flattening preprocessor now sits on fc_a, which consumes what fc consumed
        var fcA = (org.deeplearning4j.nn.conf.graph.LayerVertex)
                low.getConfiguration().getVertices().get("fc_a");
        assertInstanceOf(
                org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor.class, fcA.getPreProcessor());
        assertEquals(
                java.util.List.of("down"),
                low.getConfiguration().getVertexInputs().get("fc_a"));
    }

    @Test
    void outputLayerBecomesDenseThenOutputWithItsLoss() {
        MultiLayerNetwork net = TestNetworks.multiLayer();
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        MultiLayerNetwork low = (MultiLayerNetwork) d.decompose(RankConfiguration.of(Map.of("conv1", 4, "output", 6)));
        int n = low.getnLayers();
        assertEquals(net.getnLayers() + 2, n);
        assertEquals("output_b", low.getLayer(n - 1).conf().getLayer().getLayerName());
        assertInstanceOf(
                org.deeplearning4j.nn.conf.layers.OutputLayer.class,
                low.getLayer(n - 1).conf().getLayer());
        assertInstanceOf(
                org.deeplearning4j.nn.conf.layers.DenseLayer.class,
                low.getLayer(n - 2).conf().getLayer());
        // the flattening preprocessor moved with fc1 from index 5 to 6 (conv1 became two layers)
        assertTrue(net.getLayerWiseConfigurations().getInputPreProcess(5) != null);
        assertTrue(low.getLayerWiseConfigurations().getInputPreProcess(6) != null);
        assertEquals(null, low.getLayerWiseConfigurations().getInputPreProcess(5));
        // a decomposed network trains: one step of fitting changes its loss and keeps it finite
        var batch = TestNetworks.train(64).toDataSet();
        double s0 = low.score(batch);
        low.fit(batch);
        double s1 = low.score(batch);
        assertTrue(Double.isFinite(s1) && s1 != s0, "score before " + s0 + " after " + s1);
    }

    @Test
    void costOfAConfigurationMatchesTheBuiltNetwork() {
        for (Model net : TestNetworks.both()) {
            Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
            LinkedHashMap<String, Integer> ranks = new LinkedHashMap<>();
            int i = 0;
            for (LayerSpec l : d.plan().layers()) {
                if (i++ % 2 == 0) {
                    ranks.put(l.name(), d.plan().rMax(l.name()));
                }
            }
            RankConfiguration config = RankConfiguration.of(ranks);
            CompressionCost cost = d.plan().cost(config);
            Model low = d.decompose(config);
            assertEquals(cost.networkParams(), low.numParams(), "params of the built network");
            var lowDescription = NetworkDescriber.describe(low, TestNetworks.INPUT);
            assertEquals(cost.networkMacs(), lowDescription.networkMacs(), "MACs of the built network");
            assertEquals(d.plan().description().networkParams(), cost.originalNetworkParams());
            assertEquals(
                    (double) cost.compressibleMacs() / cost.originalCompressibleMacs(),
                    cost.compressibleFlopsRatio(),
                    1e-12);
        }
    }

    @Test
    void unknownLayersAndRanksOutOfRangeAreRejectedByName() {
        Decomposer d = Decomposer.withDefaultSchemes(TestNetworks.graph(), TestNetworks.INPUT);
        int full = d.plan().fullRank("fc");
        var e1 = assertThrows(UserInputException.class, () -> d.decompose(RankConfiguration.of(Map.of("nosuch", 3))));
        assertTrue(e1.getMessage().contains("'nosuch'"), e1.getMessage());
        var e2 =
                assertThrows(UserInputException.class, () -> d.decompose(RankConfiguration.of(Map.of("fc", full + 1))));
        assertTrue(
                e2.getMessage().contains("'fc' = " + (full + 1))
                        && e2.getMessage().contains("1.." + full),
                e2.getMessage());
        assertThrows(UserInputException.class, () -> d.plan().cost(RankConfiguration.of(Map.of("b1_bn1", 2))));
    }

    // --- effective weights, composed from the decomposed network's own parameters ------------------------

    /** The layer's weights as [N][C][kH][kW] (dense: [N][C][1][1]). */
    static double[][][][] weights(Model net, String layer, LayerSpec l) {
        INDArray w = io.rankforge.spectrum.SpectrumCalculator.weightsOf(net, layer);
        int n = l.outChannels(), c = l.inChannels(), kh = l.kernelH(), kw = l.kernelW();
        double[][][][] out = new double[n][c][kh][kw];
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < c; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        out[o][i][y][x] = l.kind() == LayerKind.DENSE ? w.getDouble(i, o) : w.getDouble(o, i, y, x);
                    }
                }
            }
        }
        return out;
    }

    /** Σ_r second ∘ first, written out per scheme in DL4J's layouts. */
    static double[][][][] composed(Model low, LayerSpec l, Scheme scheme, int r) {
        INDArray a = io.rankforge.spectrum.SpectrumCalculator.weightsOf(low, l.name() + "_a");
        INDArray b = io.rankforge.spectrum.SpectrumCalculator.weightsOf(low, l.name() + "_b");
        int n = l.outChannels(), c = l.inChannels(), kh = l.kernelH(), kw = l.kernelW();
        double[][][][] out = new double[n][c][kh][kw];
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < c; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        double s = 0;
                        for (int k = 0; k < r; k++) {
                            if (l.kind() == LayerKind.DENSE) {
                                s += a.getDouble(i, k) * b.getDouble(k, o);
                            } else if (scheme == Scheme.SPATIAL) {
                                s += b.getDouble(o, k, 0, x) * a.getDouble(k, i, y, 0);
                            } else {
                                s += b.getDouble(o, k, 0, 0) * a.getDouble(k, i, y, x);
                            }
                        }
                        out[o][i][y][x] = s;
                    }
                }
            }
        }
        return out;
    }

    static double frobeniusDistance(double[][][][] p, double[][][][] q) {
        double s = 0;
        for (int a = 0; a < p.length; a++) {
            for (int b = 0; b < p[a].length; b++) {
                for (int c = 0; c < p[a][b].length; c++) {
                    for (int e = 0; e < p[a][b][c].length; e++) {
                        double d = p[a][b][c][e] - q[a][b][c][e];
                        s += d * d;
                    }
                }
            }
        }
        return Math.sqrt(s);
    }
}
