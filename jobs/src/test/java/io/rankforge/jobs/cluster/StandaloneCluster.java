package io.rankforge.jobs.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from the Maven jars: SPARK_HOME/jars holds
 * (links to) exactly the jars of Spark's own dependency closure (src/test/resources/spark-distribution.txt),
 * so the application gets everything else from its shaded jar, as on a real installation. A master,
 * then workers, each a separate JVM; {@link #submit} runs org.apache.spark.deploy.SparkSubmit (what
 * spark-submit runs) in another JVM.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final Path logs;
    private final String flags;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path home, Path logs, String flags, int port, Process master) {
        this.home = home;
        this.logs = logs;
        this.flags = flags;
        this.port = port;
        this.master = master;
    }

    /** Builds SPARK_HOME under {@code base} and starts the master. */
    public static StandaloneCluster start(Path base, String jvmFlags) throws Exception {
        Path home = base.resolve("spark-home");
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        Set<String> closure = new HashSet<>();
        try (InputStream in = StandaloneCluster.class.getResourceAsStream("/spark-distribution.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    closure.add(line.trim());
                }
            }
        }
        int linked = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            for (Path jar : expand(Path.of(entry))) {
                String ga = coordinates(jar);
                if (ga != null && closure.contains(ga)) {
                    Path link = jars.resolve(jar.getFileName());
                    if (!Files.exists(link)) {
                        Files.createSymbolicLink(link, jar.toAbsolutePath());
                    }
                    linked++;
                }
            }
        }
        if (linked < 100) {
            throw new IllegalStateException("only " + linked + " Spark jars found on the test class path");
        }
        Files.writeString(home.resolve("RELEASE"), "Spark 4.2.0 (RankForge test cluster from Maven jars)\n");
        Files.createDirectories(home.resolve("conf"));
        Path logs = base.resolve("logs");
        Files.createDirectories(logs);
        int port = freePort();
        Process master = java(
                home,
                logs.resolve("master.log"),
                jvmFlags,
                "-Xmx512m",
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--webui-port",
                Integer.toString(freePort()));
        StandaloneCluster c = new StandaloneCluster(home, logs, jvmFlags, port, master);
        c.await(logs.resolve("master.log"), "I have been elected leader", 60);
        return c;
    }

    public String url() {
        return "spark://127.0.0.1:" + port;
    }

    public Path home() {
        return home;
    }

    /** Starts a worker with these cores and memory and waits until it registered. */
    public Process addWorker(int cores, String memory) throws Exception {
        int n = workers.size() + 1;
        Path log = logs.resolve("worker-" + n + ".log");
        Path work = logs.resolve("work-" + n);
        Process w = java(
                home,
                log,
                flags,
                "-Xmx512m",
                "org.apache.spark.deploy.worker.Worker",
                url(),
                "--host",
                "127.0.0.1",
                "--cores",
                Integer.toString(cores),
                "--memory",
                memory,
                "--webui-port",
                Integer.toString(freePort()),
                "--work-dir",
                work.toString());
        workers.add(w);
        await(log, "Successfully registered with master", 90);
        return w;
    }

    public List<Process> workers() {
        return List.copyOf(workers);
    }

    /**
     * Starts SparkSubmit (client deploy mode) with the application jar and its arguments; stdout to {@code out},
     * stderr to {@code log}.
     */
    public Process submit(Path out, Path log, List<String> sparkConf, Path appJar, String mainClass, String... args)
            throws IOException {
        List<String> a = new ArrayList<>(List.of(
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                url(),
                "--deploy-mode",
                "client",
                "--class",
                mainClass));
        for (String c : sparkConf) {
            a.add("--conf");
            a.add(c);
        }
        a.add(appJar.toString());
        a.addAll(List.of(args));
        ProcessBuilder pb = command(home, flags, "-Xmx2g", a.toArray(String[]::new));
        return pb.redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    }

    @Override
    public void close() {
        for (Process w : workers) {
            kill(w);
        }
        kill(master);
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(Path log, String marker, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(marker)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("'" + marker + "' did not appear in " + log + " within " + seconds + " s:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    private static Process java(Path home, Path log, String flags, String heap, String... args) throws IOException {
        return command(home, flags, heap, args)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static ProcessBuilder command(Path home, String flags, String heap, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                cmd.add(f);
            }
        }
        cmd.add("-cp");
        cmd.add(home.resolve("conf") + java.io.File.pathSeparator + home.resolve("jars") + "/*");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_CONF_DIR", home.resolve("conf").toString());
        return pb;
    }

    /** groupId:artifactId of a jar in a Maven repository layout (…/group/path/artifact/version/file.jar), or null. */
    static String coordinates(Path jar) {
        Path version = jar.getParent();
        if (version == null || version.getParent() == null) {
            return null;
        }
        Path artifact = version.getParent();
        Path group = artifact.getParent();
        String s = group == null ? null : group.toString();
        int repo = s == null ? -1 : s.indexOf("/repository/");
        if (repo < 0) {
            return null;
        }
        return s.substring(repo + "/repository/".length()).replace('/', '.') + ":" + artifact.getFileName();
    }

    /** A class path entry, or the entries of a manifest-only jar's Class-Path (how surefire/failsafe pass it). */
    static List<Path> expand(Path entry) throws IOException {
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return List.of();
        }
        if (entry.getFileName().toString().startsWith("surefirebooter")
                || entry.getFileName().toString().startsWith("failsafe")) {
            List<Path> out = new ArrayList<>();
            try (var jf = new java.util.jar.JarFile(entry.toFile())) {
                String cp = jf.getManifest().getMainAttributes().getValue("Class-Path");
                if (cp != null) {
                    for (String u : cp.trim().split("\\s+")) {
                        Path p = Path.of(java.net.URI.create(
                                u.startsWith("file:")
                                        ? u
                                        : entry.getParent().toUri().resolve(u).toString()));
                        if (p.toString().endsWith(".jar")) {
                            out.add(p);
                        }
                    }
                }
            }
            return out;
        }
        return List.of(entry);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
