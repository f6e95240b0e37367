package io.rankforge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
        assertEquals("skip", p.path("input_gradient").asText());
        assertEquals("1", p.path("network_blas_threads").asText());
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
        assertEquals(Provenance.jitInlining(), p.path("java_jit_inlining").asText());
    }

    @Test
    void launcherInliningLimitsAreValidFlagsThatProvenanceReports() throws Exception {
        // the launcher's JIT_OPTS (bin/jvm-options, which bin/rankforge sources), run in a child JVM: a JVM refuses a
        // flag it does not know, and the run record must say what the JVM ran with
        String line = Files.readAllLines(ReferenceData.repoRoot().resolve("bin/jvm-options")).stream()
                .filter(l -> l.startsWith("JIT_OPTS=\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("bin/jvm-options has no JIT_OPTS=\"...\" line"));
        List<String> flags = List.of(
                line.substring("JIT_OPTS=\"".length(), line.length() - 1).split(" "));
        assertEquals(Provenance.JIT_INLINING_FLAGS.size(), flags.size(), line);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JitInliningProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        String expected = flags.stream().map(f -> f.replaceFirst("^-XX:", "")).collect(Collectors.joining(" "));
        assertEquals(expected, out, "provenance reports the launcher's limits");
        // and this JVM (no such flags) reports its own values, not the launcher's
        assertTrue(
                Provenance.jitInlining().matches("FreqInlineSize=\\d+ InlineSmallCode=\\d+ MaxInlineLevel=\\d+"),
                Provenance.jitInlining());
    }

    /** Prints the JIT inlining limits this JVM runs with, as provenance records them. */
    static final class JitInliningProbe {
        public static void main(String[] args) {
            System.out.println(Provenance.jitInlining());
        }
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
