package io.rankforge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Provenance reports the DL4J version actually on the class path, the one the parent pom declares. */
class ProvenanceTest {

    @Test
    void dl4jVersionIsThePomsVersion() throws IOException {
        String pom = Files.readString(ReferenceData.repoRoot().resolve("pom.xml"));
        Matcher m = Pattern.compile("<dl4j\\.version>([^<]+)</dl4j\\.version>").matcher(pom);
        assertTrue(m.find(), "the parent pom declares dl4j.version");
        assertEquals(m.group(1).strip(), Provenance.dl4jVersion());
        assertEquals(
                m.group(1).strip(), Provenance.describe().path("dl4j_version").asText());
    }

    @Test
    void theNativeBuildAndTrainingKernelAreRecorded() {
        var p = Provenance.describe();
        assertEquals(
                io.rankforge.runtime.NativeBackend.selected().label(),
                p.path("nd4j_native_build").asText());
        assertEquals(
                io.rankforge.runtime.TrainingKernels.label(),
                p.path("batch_norm_training_kernel").asText());
        assertEquals("on", p.path("exact_training_speedups").asText());
        assertEquals(
                System.getenv().getOrDefault("GLIBC_TUNABLES", ""),
                p.path("glibc_tunables").asText(),
                "the allocator settings this JVM started with");
        boolean thp = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.matches("-XX:[+-]UseTransparentHugePages"))
                .reduce((a, b) -> b)
                .map(a -> a.startsWith("-XX:+"))
                .orElse(false);
        assertEquals(String.valueOf(thp), p.path("java_transparent_huge_pages").asText(), "the JVM's own flag");
    }

    @Test
    void vmOptionOfAnUnknownFlagIsUnknown() {
        assertEquals("unknown", Provenance.vmOption("NoSuchFlagInAnyJvm"));
        boolean g1 = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(b -> b.getName().startsWith("G1"));
        assertEquals(String.valueOf(g1), Provenance.vmOption("UseG1GC"), "a flag whose value the JVM shows otherwise");
    }

    @Test
    void gitCommitIsAHashOrUnknown() {
        String c = Provenance.gitCommit();
        assertTrue(c.matches("[0-9a-f]{40}(-dirty)?") || c.equals("unknown"), c);
    }
}
