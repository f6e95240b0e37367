package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6's commands on the paper's own ResNet-56 (Caffe), end to end through the CLI. */
class ImportedModelCliTest {
    private static final Path RES56 = ReferenceData.reference("enc/res56/res56.caffemodel");

    @Test
    void profileGivesTheSpectraOfAll57Convolutions(@TempDir Path tmp) {
        Path out = tmp.resolve("res56.json");
        CliRun r = SelectCommandTest.run("profile", "--model", RES56.toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out));
        JsonNode layers = Json.parse(r.lastLine(), "profile output").get("layers");
        int convolutions = 0;
        for (JsonNode l : layers) {
            if (l.get("name").asText().equals("fc")) {
                continue;
            }
            convolutions++;
            assertEquals(
                    l.get("full_rank").asInt(),
                    l.get("singular_values").size(),
                    l.get("name").asText());
        }
        assertEquals(57, convolutions);
        assertEquals("first_conv", layers.get(0).get("name").asText());
        assertEquals("channel", layers.get(0).get("scheme").asText());
        assertEquals(10, layers.get(0).get("rmax").asInt());
    }

    /**
     * The selection of the paper's ResNet-56 experiment (docs/method.md §9: ENC-Map at 50% of the FLOPs, first layer at
     * r_max).
     */
    @Test
    void encMapSelectionOfThePapersResNet56Experiment() {
        CliRun r = SelectCommandTest.run(
                "select",
                "--model",
                RES56.toString(),
                "--method",
                "enc-map",
                "--metric",
                "pca",
                "--first-layer",
                "max",
                "--target-flops",
                "0.5",
                "--exclude-pattern",
                ".*proj.*",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.parse(r.lastLine(), "select output");
        JsonNode ranks = j.get("ranks");
        assertEquals(56, ranks.size(), "55 convolutions and fc; the two projection shortcuts excluded");
        Iterator<Map.Entry<String, JsonNode>> it = ranks.fields();
        Map.Entry<String, JsonNode> first = it.next();
        assertEquals("first_conv", first.getKey());
        assertEquals(10, first.getValue().asInt(), "first layer at r_max");
        assertTrue(!ranks.has("group1_block0_proj") && !ranks.has("group2_block0_proj"));
        assertEquals(0.5, j.get("flops_ratio").asDouble(), 0.02, "budget met by ENC-Map's rounding");
        ranks.fields().forEachRemaining(e -> assertTrue(e.getValue().asInt() >= 1, e.getKey()));
    }

    @Test
    void caffeModelAwayFromItsPrototxtNeedsPrototxt(@TempDir Path tmp) throws IOException {
        Path alone = Files.copy(RES56, tmp.resolve("weights.caffemodel"));
        Path out = tmp.resolve("p.json");
        CliRun missing = SelectCommandTest.run("profile", "--model", alone.toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--prototxt"), missing.err());
        assertTrue(!Files.exists(out), "no output on error");
        CliRun given = SelectCommandTest.run(
                "profile",
                "--model",
                alone.toString(),
                "--prototxt",
                ReferenceData.reference("enc/res56/train_val_test.prototxt").toString(),
                "--out",
                out.toString());
        assertEquals(0, given.code(), given.err());
        assertTrue(given.out().contains("group2_block0_proj"), given.out());
    }
}
