package io.rankforge.runtime;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses the libnd4j build ND4J loads, once per process and before ND4J initialises.
 *
 * <p>Two builds of nd4j-native 1.0.0-M2.1 sit on the classpath: the plain {@code linux-x86_64} one (im2col +
 * OpenBLAS gemm in DL4J's Java layers) and {@code linux-x86_64-onednn-avx2}, whose convolution, batch-norm and
 * pooling run through oneDNN — about ten times faster for the zoo's networks (benchmarks/RESULTS.md). JavaCPP loads
 * the build named by the system property {@code org.bytedeco.javacpp.platform.extension}; DL4J engages its oneDNN
 * layer helpers only when {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false} (its default is
 * {@code true}) and its capability probe finds the native environment class (see {@code org.nd4j.nativeblas.Nd4jCpu}
 * in this module for why a bridge is needed).
 *
 * <p>The choice: {@code RANKFORGE_NATIVE} (environment) or {@code -Drankforge.native} = {@code auto} (default: oneDNN
 * when the CPU reports AVX2 on Linux x86-64 and the build is on the classpath, plain otherwise), {@code onednn} or
 * {@code plain}. A user who set the JavaCPP extension property directly keeps it.
 */
public final class NativeBackend {
    /** System property that overrides the choice ({@code auto}, {@code onednn}, {@code plain}). */
    public static final String PROPERTY = "rankforge.native";
    /** Environment variable that overrides the choice; the system property wins over it. */
    public static final String ENVIRONMENT = "RANKFORGE_NATIVE";

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP's limit on the resident set, checked at every native allocation; it reads both spellings. */
    static final String PHYSICAL_BYTES_PROPERTY = "org.bytedeco.javacpp.maxphysicalbytes";

    static final String PHYSICAL_BYTES_PROPERTY_CAMEL = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libjnind4jcpu.so";

    /** A libnd4j build. */
    public enum Build {
        ONEDNN_AVX2("onednn-avx2", "-onednn-avx2"),
        PLAIN("plain", "");

        private final String label;
        private final String extension;

        Build(String label, String extension) {
            this.label = label;
            this.extension = extension;
        }

        /** The name used in provenance and the trials table. */
        public String label() {
            return label;
        }

        /** JavaCPP's platform extension for this build (empty for the plain one). */
        public String extension() {
            return extension;
        }
    }

    private static Build selected;

    private NativeBackend() {}

    /**
     * Decides the build for this process and sets the system properties JavaCPP and DL4J read; idempotent. Must run
     * before the first ND4J call: a later call cannot change what is already loaded.
     *
     * @throws UserInputException when the override names an unknown build, or oneDNN on a CPU without AVX2
     */
    public static synchronized Build select() {
        if (selected != null) {
            return selected;
        }
        String preset = System.getProperty(EXTENSION_PROPERTY);
        if (preset != null) {
            selected = preset.contains("onednn") ? Build.ONEDNN_AVX2 : Build.PLAIN;
        } else {
            String requested = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
            selected = choose(
                    requested,
                    System.getProperty("os.name", ""),
                    System.getProperty("os.arch", ""),
                    cpuFlags(),
                    NativeBackend.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null);
            if (!selected.extension().isEmpty()) {
                System.setProperty(EXTENSION_PROPERTY, selected.extension());
            }
        }
        if (selected == Build.ONEDNN_AVX2 && System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
        switchOffPerAllocationResidentSetCheck();
        return selected;
    }

    /**
     * JavaCPP's {@code maxphysicalbytes} check reads {@code /proc/self/statm} at every native allocation, and a DL4J
     * training step makes thousands of them (shape buffers, views, op arguments): a system call each: with it a
     * training step took 1.16-1.40x as long for resnet-20 and 1.03-1.34x for vgg-mini in alternated pairs on a
     * 2-core machine (benchmarks/resident-set-check). Its default (twice the heap) is switched off (0) unless the user
     * set either spelling of the property. Nothing is left unbounded: JavaCPP still counts its own buffers
     * against {@code maxbytes}, and {@code bin/rankforge}'s memory watcher reads the resident set every 200 ms.
     */
    static void switchOffPerAllocationResidentSetCheck() {
        if (System.getProperty(PHYSICAL_BYTES_PROPERTY) == null
                && System.getProperty(PHYSICAL_BYTES_PROPERTY_CAMEL) == null) {
            System.setProperty(PHYSICAL_BYTES_PROPERTY_CAMEL, "0");
        }
    }

    /** The build {@link #select()} chose, selecting it now if nothing did yet. */
    public static Build selected() {
        return select();
    }

    /**
     * The build for a request on a machine. {@code requested} null or blank means {@code auto}.
     *
     * @param requested {@code auto}, {@code onednn} or {@code plain} (any case), or null
     * @param osName the {@code os.name} property
     * @param osArch the {@code os.arch} property
     * @param cpuFlags the CPU's feature flags (lower case, as /proc/cpuinfo lists them)
     * @param onednnOnClasspath whether the oneDNN build's native library is on the classpath
     */
    static Build choose(
            String requested, String osName, String osArch, Set<String> cpuFlags, boolean onednnOnClasspath) {
        String r = requested == null || requested.isBlank()
                ? "auto"
                : requested.trim().toLowerCase(Locale.ROOT);
        boolean platform = osName.toLowerCase(Locale.ROOT).contains("linux")
                && (osArch.equals("amd64") || osArch.equals("x86_64"));
        boolean capable = platform && cpuFlags.contains("avx2") && onednnOnClasspath;
        switch (r) {
            case "plain":
                return Build.PLAIN;
            case "auto":
                return capable ? Build.ONEDNN_AVX2 : Build.PLAIN;
            case "onednn":
                if (!capable) {
                    throw new UserInputException(ENVIRONMENT + "/" + PROPERTY + "=onednn needs Linux x86-64 with AVX2"
                            + " and the oneDNN build on the classpath; this machine has "
                            + (platform
                                    ? (cpuFlags.contains("avx2") ? "no oneDNN build" : "no AVX2")
                                    : osName + " " + osArch)
                            + "; use auto or plain");
                }
                return Build.ONEDNN_AVX2;
            default:
                throw new UserInputException(
                        ENVIRONMENT + "/" + PROPERTY + " is '" + requested + "'; use auto, onednn or plain");
        }
    }

    /** The CPU feature flags of the first processor in /proc/cpuinfo; empty where there is no such file. */
    static Set<String> cpuFlags() {
        Set<String> flags = new TreeSet<>();
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return flags;
        }
        try (var lines = Files.lines(info)) {
            lines.filter(l -> l.startsWith("flags")).findFirst().ifPresent(l -> {
                for (String f : l.substring(l.indexOf(':') + 1).trim().split("\\s+")) {
                    flags.add(f.toLowerCase(Locale.ROOT));
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return flags;
        }
        return flags;
    }

    /** Whether DL4J's oneDNN helpers are in effect in this process (the build loaded and helpers enabled). */
    public static boolean helpersActive() {
        return selected() == Build.ONEDNN_AVX2
                && !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"))
                && org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled();
    }
}
