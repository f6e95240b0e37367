package io.rankforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.RankConfiguration;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.TestNetworks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class DecomposedAccuracyTest {
    static final ImageDataset TEST = TestNetworks.test(1000);

    @Test
    void evaluatorCountsTopOneHitsInBatches() {
        for (Model net : TestNetworks.both()) {
            Evaluation e = Evaluator.evaluate(net, TEST, 96); // 1000 = 10 batches of 96 + one of 40
            INDArray out = Evaluator.output(net, TEST.features());
            long[] predicted = out.argMax(1).toLongVector();
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == TEST.label(i)) {
                    correct++;
                }
            }
            assertEquals(correct, e.correct());
            assertEquals(1000, e.total());
            assertTrue(e.accuracy() > 0.5, "a briefly trained network beats chance (0.1) by far: " + e.accuracy());
            assertTrue(e.imagesPerSecond() > 0);
        }
    }

    @Test
    void accuracyOfAnyConfigurationFromFactorsComputedOnce() {
        Model net = TestNetworks.graph();
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        DecomposedAccuracy acc = DecomposedAccuracy.of(d, TEST);
        double original = Evaluator.evaluate(net, TEST).accuracy();
        assertEquals(original, acc.accuracy(RankConfiguration.of(Map.of())), 0, "empty configuration = original");
        assertEquals(
                original, acc.accuracy(d.plan().fullRanks()), 0.002, "full rank = original (up to float rounding)");
        var stem = d.factors("stem");
        LinkedHashMap<String, Integer> ones = new LinkedHashMap<>();
        for (var l : d.plan().layers()) {
            ones.put(l.name(), 1);
        }
        double rankOne = acc.accuracy(RankConfiguration.of(ones));
        assertTrue(rankOne < original - 0.2, "rank 1 everywhere destroys the network: " + rankOne + " vs " + original);
        assertSame(stem, d.factors("stem"), "factors are computed once and reused");
        assertEquals(3, acc.evaluations());
        acc.accuracy(RankConfiguration.of(ones));
        assertEquals(3, acc.evaluations(), "a repeated configuration is not evaluated again");
    }

    @Test
    void recalibratedOracleMeasuresTheNetworkWithReEstimatedBatchNorm() {
        Model net = TestNetworks.graph();
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        ImageDataset calibration = TestNetworks.train(300);
        DecomposedAccuracy acc = DecomposedAccuracy.recalibrated(d, TEST, calibration);
        assertSame(calibration, acc.calibration());
        LinkedHashMap<String, Integer> half = new LinkedHashMap<>();
        for (var l : d.plan().layers()) {
            half.put(l.name(), Math.max(1, d.plan().rMax(l.name()) / 2));
        }
        RankConfiguration c = RankConfiguration.of(half);
        Model expected = DecomposedAccuracy.compress(d, c, calibration);
        assertEquals(
                Evaluator.evaluate(expected, TEST).accuracy(),
                acc.accuracy(c),
                0,
                "the oracle evaluates compress(...)");
        double stale = DecomposedAccuracy.of(d, TEST).accuracy(c);
        assertTrue(acc.accuracy(c) != stale, "re-estimated statistics change the measurement: " + stale);
    }
}
