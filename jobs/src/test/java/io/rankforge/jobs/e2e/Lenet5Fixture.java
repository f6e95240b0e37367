package io.rankforge.jobs.e2e;

import io.rankforge.data.DataSplits;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A lenet5 briefly trained on real Fashion-MNIST (the Debian package's files), saved as a zoo .zip,
 * and an experiment file for it: what the job tests run on.
 */
public final class Lenet5Fixture {
    /** The Debian package dataset-fashion-mnist; tests fail (not skip) when it is missing. */
    public static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    public static final int TRAIN_IMAGES = 3000;

    private Lenet5Fixture() {}

    /**
     * Trains lenet5 for one epoch on the first {@link #TRAIN_IMAGES} training images, writes it to
     * {@code file} and returns its accuracy on the first 1,000 test images.
     */
    public static double train(Path file) throws IOException {
        if (!Files.isDirectory(DATA)) {
            throw new IllegalStateException(
                    "Fashion-MNIST is missing at " + DATA + ": apt-get install dataset-fashion-mnist (.ci/run does)");
        }
        DataSplits splits = DataSplits.fromDirectory(DATA);
        ZooArchitecture arch = ZooArchitecture.byId("lenet5");
        Nd4j.getRandom().setSeed(7);
        MultiLayerNetwork net = (MultiLayerNetwork) arch.build(7);
        net.fit(splits.train().first(TRAIN_IMAGES).shuffledBatches(arch.batchSize(), 7));
        Files.createDirectories(file.getParent());
        ModelSerializer.writeModel(net, file.toFile(), true);
        return ZooTrainer.accuracy(net, splits.test().first(1000));
    }

    /** A small experiment over {@code model}, output under {@code out}. */
    public static String conf(Path model, Path out, String extra) {
        return conf(model.toString(), out.toString(), extra);
    }

    /** The same experiment with the model and the output given as URIs (hdfs://, file://, ...). */
    public static String conf(String model, String out, String extra) {
        return """
                rankforge {
                  spark { master = "local[2]" }
                  experiment { name = e2e, seed = 11, output = "%s", models = ["%s"] }
                  data { dir = "%s", measure-images = 400, test-images = 600, train-images = 2000 }
                  sensitivity.fractions = [0.1, 0.25, 0.5, 1.0]
                  select {
                    methods = [enc-map, enc-model, enc-inf, optimal]
                    budgets = [0.3, 0.5]
                    enc-inf-candidates = 4
                  }
                  sweep {
                    strata = [0.3, 0.5]
                    samples-per-stratum = 4
                    batch-size = 2
                    fine-tune { enabled = true, epochs = 1, images = 300, batch-size = 50, sample-strata = [0.5] }
                  }
                  validate { bootstrap-samples = 200, min-samples = 3 }
                }
                %s
                """.formatted(out, model, DATA, extra);
    }
}
