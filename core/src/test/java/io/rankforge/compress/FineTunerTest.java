package io.rankforge.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.data.ImageBatches;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.TestNetworks;
import io.rankforge.runtime.TrainingKernels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Fine-tuning's learning-rate schedule: the cosine decay is read by the updater at every iteration, which must be the
 * same training as setting the rate on the network before every mini-batch (what FineTuner did before, at the cost
 * of an updater rebuilt per iteration), starting from iteration 0 whatever the network's training count was.
 */
class FineTunerTest {
    static final FineTuneSchedule SCHEDULE = new FineTuneSchedule(2, 1e-3, 64, 320, 5);

    @Test
    void theScheduleTrainsExactlyAsARatePerMiniBatch() throws Exception {
        MultiLayerNetwork trained = TestNetworks.multiLayer();
        assertTrue(
                trained.getLayerWiseConfigurations().getIterationCount() > 0,
                "the fixture was trained: its iteration count is not where fine-tuning starts");
        ImageDataset train = TestNetworks.train(SCHEDULE.trainImages());

        MultiLayerNetwork viaSchedule =
                (MultiLayerNetwork) FineTuner.run(trained.clone(), train, SCHEDULE, CompressionListener.SILENT)
                        .network();
        MultiLayerNetwork viaRate = ratePerMiniBatch(trained.clone(), train);

        assertArrayEquals(
                viaRate.params().toDoubleVector(), viaSchedule.params().toDoubleVector(), 0.0, "same parameters");
        assertFalse(trained.params().equalsWithEps(viaSchedule.params(), 1e-6), "fine-tuning changed the parameters");
    }

    @Test
    void theSavedModelHoldsAFixedRateNotTheSchedule() throws Exception {
        MultiLayerNetwork tuned = (MultiLayerNetwork) FineTuner.run(
                        TestNetworks.multiLayer().clone(),
                        TestNetworks.train(128),
                        new FineTuneSchedule(1, 1e-3, 64, 128, 5),
                        CompressionListener.SILENT)
                .network();
        String json = tuned.getLayerWiseConfigurations().toJson();
        assertFalse(json.contains("CosineLearningRate"), "a model file must load without RankForge's classes");
        assertEquals(1e-3, tuned.getLearningRate(0), 0.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(tuned, bytes, true);
        MultiLayerNetwork back =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(tuned.params(), back.params());
    }

    @Test
    void theScheduleIsTheCosineOfFineTuneSchedule() {
        CosineLearningRate c = new CosineLearningRate(2e-3, 100);
        FineTuneSchedule s = new FineTuneSchedule(1, 2e-3, 64, 0, 1);
        for (int i : new int[] {0, 1, 37, 50, 99, 100, 150}) {
            assertEquals(s.learningRateAt(i, 100), c.valueAt(i, 0), 0.0, "iteration " + i);
        }
        assertEquals(2e-3, c.valueAt(0, 0), 0.0);
        assertEquals(1e-3, c.valueAt(50, 3), 1e-15);
        assertEquals(c.valueAt(42, 0), c.clone().valueAt(42, 0), 0.0);
    }

    /** The former training loop: a fixed-rate Adam, the rate set on the network before each mini-batch. */
    private static MultiLayerNetwork ratePerMiniBatch(MultiLayerNetwork net, ImageDataset train) {
        Nd4j.getRandom().setSeed(SCHEDULE.seed());
        MultiLayerNetwork t = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(new Adam(SCHEDULE.learningRate()))
                        .seed(SCHEDULE.seed())
                        .build())
                .build();
        t.getLayerWiseConfigurations().setIterationCount(0);
        t.getLayerWiseConfigurations().setEpochCount(0);
        TrainingKernels.installForTraining(t); // as FineTuner does: the comparison is of the schedule, not the kernels
        long total = ((train.size() + 63) / 64) * (long) SCHEDULE.epochs();
        ImageBatches batches = train.shuffledBatches(SCHEDULE.batchSize(), SCHEDULE.seed());
        long it = 0;
        for (int e = 0; e < SCHEDULE.epochs(); e++) {
            while (batches.hasNext()) {
                t.setLearningRate(SCHEDULE.learningRateAt(it++, total));
                try (TrainingKernels.Fitting fitting = TrainingKernels.fitting()) { // as FineTuner fits
                    t.fit(batches.next());
                }
            }
            batches.reset();
        }
        return t;
    }
}
