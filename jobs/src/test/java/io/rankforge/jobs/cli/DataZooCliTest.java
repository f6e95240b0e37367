package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.Main;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rankforge data ...` and `rankforge zoo ...` end to end, in process, on the real Fashion-MNIST files. */
class DataZooCliTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut;
    PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("rankforge.data", tmp.resolve("data").toString());
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.clearProperty("rankforge.data");
        io.rankforge.jobs.spark.TaskThreads.reset(); // --threads 1 must not slow later test classes of this JVM
    }

    JsonNode lastJsonLine() {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertFalse(lines.isEmpty(), "stdout is empty; stderr: " + err);
        return Json.parse(lines.get(lines.size() - 1), "last stdout line");
    }

    @Test
    void fetchTrainAndLoad() throws Exception {
        assertEquals(0, Main.run("data", "fetch", "--dataset", "fashion-mnist", "--json"), err.toString());
        JsonNode fetched = lastJsonLine();
        assertEquals(
                tmp.resolve("data/fashion-mnist").toString(), fetched.get("dir").asText());
        assertEquals(
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                fetched.get("sha256").get("train-images-idx3-ubyte").asText());

        Path zip = tmp.resolve("models/lenet5.zip");
        out.reset();
        assertEquals(
                0,
                Main.run(
                        "zoo",
                        "train",
                        "--model",
                        "lenet5",
                        "--epochs",
                        "1",
                        "--train-limit",
                        "300",
                        "--seed",
                        "5",
                        "--threads",
                        "1",
                        "--out",
                        zip.toString(),
                        "--json"),
                err.toString());
        JsonNode side = lastJsonLine();
        assertEquals("lenet5", side.get("architecture").asText());
        assertEquals(300, side.get("train_images").asInt());
        assertEquals(5, side.get("seed").asInt());
        assertEquals(1, side.get("nd4j_threads").asInt());
        assertTrue(side.get("training_cpu_seconds").asDouble() > 0, side.toString());
        double acc = side.get("test_accuracy").asDouble();
        assertTrue(acc > 0.1 && acc <= 1.0, "test accuracy " + acc);
        assertTrue(Files.isRegularFile(zip) && Files.isRegularFile(tmp.resolve("models/lenet5.json")));
        LoadedModel m = ModelLoader.load(zip);
        assertEquals(side.get("model_sha256").asText(), m.sha256());
        assertEquals(10_000, side.get("data").get("test_images").asInt());

        out.reset();
        assertEquals(0, Main.run("zoo", "list", "--json"));
        assertEquals(
                io.rankforge.zoo.ZooArchitecture.values().length,
                lastJsonLine().get("models").size());
        assertEquals("resnet-56", lastJsonLine().get("models").get(6).get("id").asText());
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        Path missing = tmp.resolve("nowhere");
        assertEquals(2, Main.run("data", "fetch", "--dir", missing.toString()));
        assertTrue(
                err.toString().contains(missing.toString())
                        && err.toString().contains("no such directory")
                        && err.toString().contains("leave --dir out")
                        && !err.toString().contains("dataDir"),
                err.toString());
        err.reset();
        assertEquals(2, Main.run("data", "fetch", "--dataset", "cifar-10"));
        assertTrue(err.toString().contains("unknown dataset 'cifar-10'"), err.toString());
        err.reset();
        assertEquals(
                2,
                Main.run(
                        "zoo",
                        "train",
                        "--model",
                        "alexnet",
                        "--out",
                        tmp.resolve("a.zip").toString()));
        assertTrue(err.toString().contains("unknown zoo model 'alexnet'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertFalse(Files.exists(tmp.resolve("a.zip")));
    }
}
