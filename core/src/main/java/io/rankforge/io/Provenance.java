package io.rankforge.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.rankforge.runtime.BlasThreads;
import io.rankforge.runtime.NativeBackend;
import io.rankforge.runtime.TrainingKernels;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where a result came from: git commit, versions of Java and DL4J (read from the DL4J jar), the machine. Jobs add
 * the Spark version, master, seed and resolved configuration.
 */
public final class Provenance {
    private static final String DL4J_POM_PROPERTIES =
            "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties";
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(10);
    private static volatile String commit;
    private static volatile String dl4jVersion;

    private Provenance() {}

    /**
     * The git commit of the code: -Drankforge.git.commit, else `git rev-parse HEAD` in rankforge.home or the
     * working directory.
     */
    public static String gitCommit() {
        String c = commit;
        if (c != null) {
            return c;
        }
        c = System.getProperty("rankforge.git.commit");
        if (c == null || c.isBlank()) {
            c = askGit();
        }
        commit = c;
        return c;
    }

    private static String askGit() {
        String home = Installation.home().toString();
        try {
            ProcessRunner.Result head =
                    ProcessRunner.run(null, GIT_TIMEOUT, List.of("git", "-C", home, "rev-parse", "HEAD"));
            String out = head.output().trim();
            if (head.exitCode() == 0 && out.matches("[0-9a-f]{40}")) {
                return out + dirtySuffix(home);
            }
        } catch (IOException | ProcessRunner.TimedOut e) {
            // no git on this machine, or it hangs: the commit is unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    /** "-dirty" when tracked files differ from the commit, "" when they do not or git cannot tell in time. */
    private static String dirtySuffix(String home) throws InterruptedException {
        try {
            ProcessRunner.Result status = ProcessRunner.run(
                    null, GIT_TIMEOUT, List.of("git", "-C", home, "status", "--porcelain", "--untracked-files=no"));
            return status.exitCode() == 0 && !status.output().isBlank() ? "-dirty" : "";
        } catch (IOException | ProcessRunner.TimedOut e) {
            return "";
        }
    }

    /**
     * The version of the deeplearning4j-nn jar on the class path, from the pom.properties Maven packs into it
     * ("unknown" when the jar carries none, e.g. classes repackaged without their META-INF).
     */
    public static String dl4jVersion() {
        String v = dl4jVersion;
        if (v == null) {
            v = readDl4jVersion();
            dl4jVersion = v;
        }
        return v;
    }

    private static String readDl4jVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream(DL4J_POM_PROPERTIES)) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown").strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A HotSpot flag's value as the JVM runs with it (e.g. "true", "50"), or "unknown" on another JVM. */
    static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(name)
                    .getValue();
        } catch (RuntimeException e) { // no such MXBean or flag on this JVM
            return "unknown";
        }
    }

    /** The C2 flags that bound inlining, which bin/rankforge lowers (docs/native.md "JIT compilation"). */
    static final List<String> JIT_INLINING_FLAGS = List.of("FreqInlineSize", "InlineSmallCode", "MaxInlineLevel");

    /** The JIT's inlining limits in effect, e.g. "FreqInlineSize=50 InlineSmallCode=500 MaxInlineLevel=6". */
    static String jitInlining() {
        return JIT_INLINING_FLAGS.stream().map(f -> f + "=" + vmOption(f)).collect(Collectors.joining(" "));
    }

    /** Versions and machine, as a JSON object. */
    public static ObjectNode describe() {
        ObjectNode o = Json.object();
        o.put("git_commit", gitCommit());
        o.put("java_version", System.getProperty("java.version"));
        o.put("java_vendor", System.getProperty("java.vendor"));
        o.put("dl4j_version", dl4jVersion());
        o.put("nd4j_native_build", NativeBackend.selected().label());
        o.put("batch_norm_training_kernel", TrainingKernels.label());
        o.put("exact_training_speedups", TrainingKernels.exactSpeedupsLabel());
        // whether the first convolution leaves out the input images' gradient while fitting (docs/native.md)
        o.put("input_gradient", TrainingKernels.inputGradientLabel());
        // whether dense layers multiply by libnd4j's matmul (oneDNN's on that build) or DL4J's mmuli (docs/native.md)
        o.put("dense_kernel", TrainingKernels.denseKernelLabel());
        // OpenBLAS's threads while networks run: 1, or omp (ND4J's count); docs/native.md "Threads"
        o.put("network_blas_threads", BlasThreads.label());
        // glibc's allocator settings this process started with (docs/native.md, "Training step: exact speed-ups")
        o.put("glibc_tunables", System.getenv().getOrDefault("GLIBC_TUNABLES", ""));
        // whether the Java heap may use transparent huge pages (bin/rankforge's default; docs/native.md "Fresh memory")
        o.put("java_transparent_huge_pages", vmOption("UseTransparentHugePages"));
        // the JIT's inlining limits (bin/rankforge lowers them; docs/native.md "JIT compilation")
        o.put("java_jit_inlining", jitInlining());
        o.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        o.put("host", hostname());
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        o.put("created_at", Instant.now().toString());
        return o;
    }
}
