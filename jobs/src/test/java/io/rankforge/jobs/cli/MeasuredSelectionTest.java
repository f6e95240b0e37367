package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.io.Json;
import io.rankforge.zoo.TrainedModel;
import io.rankforge.zoo.ZooArchitecture;
import io.rankforge.zoo.ZooArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measured path end to end on a real LeNet-5 trained briefly on real Fashion-MNIST: profile with
 * measured sensitivity, select by the measured metric from the profile, and ENC-Inf measuring its
 * candidates on the held-out split (disjoint from the images the network was trained on).
 */
class MeasuredSelectionTest {
    @TempDir
    static Path dir;

    static Path model;
    static final Path DATA = DatasetFetcher.DEBIAN_FASHION_MNIST_DIR;

    @BeforeAll
    static void train() {
        assertTrue(
                Files.isDirectory(DATA),
                "Fashion-MNIST is missing at " + DATA + ": apt-get install dataset-fashion-mnist");
        // train on 2,000 images of the training part: the CLI's held-out split (same default seed) is disjoint from
        // them
        DataSplits splits = DataSplits.fromDirectory(DATA);
        MultiLayerNetwork net = (MultiLayerNetwork) ZooArchitecture.LENET5.build(7, 1);
        net.fit(splits.train().first(2_000).shuffledBatches(ZooArchitecture.LENET5.batchSize(), 7));
        TrainedModel t =
                new TrainedModel(ZooArchitecture.LENET5, net, "fashion-mnist", 1, 7, 2_000, Double.NaN, Double.NaN, 0);
        model = dir.resolve("lenet5.zip");
        ZooArtifacts.save(t, model, null);
    }

    @Test
    void profileWithSensitivityThenSelectByTheMeasuredMetric() {
        Path out = dir.resolve("lenet5-profile.json");
        CliRun p = SelectCommandTest.run(
                "profile",
                "--model",
                model.toString(),
                "--measure-sensitivity",
                "--data-dir",
                DATA.toString(),
                "--held-out",
                "300",
                "--out",
                out.toString(),
                "--json");
        assertEquals(0, p.code(), p.err());
        JsonNode layers = Json.parse(p.lastLine(), "profile output").get("layers");
        assertEquals("conv1", layers.get(0).get("name").asText());
        for (JsonNode l : layers) {
            assertTrue(l.get("singular_values").size() >= l.get("rmax").asInt(), l.toString());
            JsonNode s = l.get("sensitivity");
            assertTrue(s != null && s.size() >= 3, "sensitivity of " + l.get("name"));
            assertEquals(1.0, s.get(Integer.toString(l.get("rmax").asInt())).asDouble(), 0, "y_m(r_max) = 1");
        }
        CliRun sel = SelectCommandTest.run(
                "select",
                "--profile",
                out.toString(),
                "--method",
                "enc-model",
                "--metric",
                "combined",
                // lenet5's few layers have coarse per-rank costs: the paper's 0.5% window is too narrow for them
                "--option",
                "enc-model.tolerance=0.02",
                "--target-flops",
                "0.5",
                "--json");
        assertEquals(0, sel.code(), sel.err());
        JsonNode j = Json.parse(sel.lastLine(), "select output");
        double ratio = j.get("flops_ratio").asDouble();
        assertTrue(ratio <= 0.5 + 1e-12 && ratio >= 0.48 - 1e-12, "in the window below the budget: " + ratio);
        assertTrue(j.get("network_flops_ratio").asDouble() < 1);
        assertTrue(j.get("metrics").has("measured") && j.get("metrics").has("combined"));
    }

    @Test
    void encInfMeasuresItsCandidates() {
        CliRun r = SelectCommandTest.run(
                "select",
                "--model",
                model.toString(),
                "--method",
                "enc-inf",
                "--metric",
                "pca",
                "--data-dir",
                DATA.toString(),
                "--held-out",
                "300",
                "--option",
                "enc-inf.candidates=4",
                "--option",
                "enc-model.tolerance=0.02",
                "--target-flops",
                "0.5",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.parse(r.lastLine(), "select output");
        assertEquals("enc-inf", j.get("method").asText());
        double ratio = j.get("flops_ratio").asDouble();
        assertTrue(ratio <= 0.5 + 1e-12 && ratio >= 0.48 - 1e-12, "in the window below the budget: " + ratio);
    }
}
