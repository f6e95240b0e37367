package io.rankforge.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.runtime.NativeBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where a result came from: git commit, versions of Java and DL4J, the machine. Jobs add the Spark
 * version, master, seed and resolved configuration.
 */
public final class Provenance {
    public static final String DL4J_VERSION = "1.0.0-M2.1";
    private static volatile String commit;

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
        String home = System.getProperty("rankforge.home", System.getProperty("rankforge.repo.root", "."));
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(home).toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                Process d = new ProcessBuilder(
                                "git", "-C", Path.of(home).toString(), "status", "--porcelain", "--untracked-files=no")
                        .redirectErrorStream(true)
                        .start();
                String dirty = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                d.waitFor(10, TimeUnit.SECONDS);
                return dirty.isEmpty() ? out : out + "-dirty";
            }
        } catch (IOException e) {
            // no git on this machine: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    public static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Versions and machine, as a JSON object. */
    public static ObjectNode describe() {
        ObjectNode o = Json.object();
        o.put("git_commit", gitCommit());
        o.put("java_version", System.getProperty("java.version"));
        o.put("java_vendor", System.getProperty("java.vendor"));
        o.put("dl4j_version", DL4J_VERSION);
        o.put("nd4j_native_build", NativeBackend.selected().label());
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
