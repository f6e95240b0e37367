package io.rankforge.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.zoo.ZooArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 5: a run that needs more memory than its bound stops with one line and exit code 3
 * ({@code MemoryBound.EXIT_CODE}), whether the process's resident set passes the bound or JavaCPP refuses an
 * allocation, and leaves no output behind.
 */
class MemoryBoundTest {
    @TempDir
    Path dir;

    @Test
    void aResidentSetOverTheBoundStopsTheRun() throws Exception {
        Path out = dir.resolve("front.json");
        // any JVM is resident in more than 32 MiB: the watcher must stop this run at once
        ChildCli r = ChildCli.run(
                dir,
                List.of("-Xmx256m", "-Drankforge.memory.bytes=" + (32L << 20)),
                "profile",
                "--reference",
                Path.of(System.getProperty("user.dir"))
                        .resolveSibling("reference/enc/vgg16")
                        .toString(),
                "--out",
                out.toString());
        assertEquals(3, r.code(), r.err());
        List<String> lines = BadInputSuiteTest.errorLines(r.err()).lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("RANKFORGE_MEMORY") && lines.get(0).contains("bound 32 MiB"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anAllocationJavaCppRefusesStopsTheRun() throws Exception {
        Path model = dir.resolve("lenet5.zip");
        MultiLayerNetwork net =
                (MultiLayerNetwork) ZooArchitecture.byId("lenet5").build(7);
        ModelSerializer.writeModel(net, model.toFile(), false);
        Path out = dir.resolve("p.json");
        ChildCli r = ChildCli.run(
                dir,
                List.of(
                        "-Xmx256m",
                        "-Dorg.bytedeco.javacpp.maxbytes=64k",
                        "-Dorg.bytedeco.javacpp.maxphysicalbytes=64k"),
                "profile",
                "--model",
                model.toString(),
                "--out",
                out.toString());
        assertEquals(3, r.code(), r.err());
        List<String> lines = BadInputSuiteTest.errorLines(r.err()).lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("RANKFORGE_MEMORY"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
    }
}
