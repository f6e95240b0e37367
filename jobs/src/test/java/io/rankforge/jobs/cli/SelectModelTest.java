package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.testing.ReferenceData;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** select --model on the paper's real ResNet-56 (Caffe): spectra computed from the weights, then ENC-Model on them. */
class SelectModelTest {

    @Test
    void res56CaffeModelWithPcaMetric() {
        Path model = ReferenceData.reference("enc/res56/res56.caffemodel");
        CliRun r = SelectCommandTest.run(
                "select",
                "--model",
                model.toString(),
                "--method",
                "enc-model",
                "--metric",
                "pca",
                "--target-flops",
                "0.5",
                "--first-layer",
                "max",
                "--exclude-pattern",
                ".*proj|fc",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.parse(r.lastLine(), "select output");
        JsonNode ranks = j.get("ranks");
        assertEquals(55, ranks.size(), "57 convolutions and fc, less 2 projections and fc");
        Iterator<String> names = ranks.fieldNames();
        assertEquals("first_conv", names.next());
        assertEquals(10, ranks.get("first_conv").asInt(), "first layer at r_max");
        assertFalse(ranks.has("fc"));
        assertEquals(0.5, j.get("flops_ratio").asDouble(), 0.5 * 0.005 + 1e-12);
        assertTrue(j.get("network_flops_ratio").isNumber(), "a model knows its network totals");
        assertTrue(j.get("network_flops_ratio").asDouble() < 1);
        assertTrue(j.get("metrics").has("pca"));
        assertFalse(j.get("metrics").has("measured"));

        CliRun inf = SelectCommandTest.run(
                "select",
                "--model",
                model.toString(),
                "--method",
                "enc-inf",
                "--metric",
                "pca",
                "--target-flops",
                "0.5");
        assertEquals(2, inf.code());
        assertTrue(inf.err().contains("--data-dir"), inf.err());
    }
}
