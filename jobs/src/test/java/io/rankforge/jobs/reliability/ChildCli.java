package io.rankforge.jobs.reliability;

import io.rankforge.jobs.spark.JvmFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One CLI run in a child JVM ({@code io.rankforge.jobs.Main}, the process entry bin/rankforge starts) with a small
 * heap, a small JavaCPP off-heap limit and the memory bound set: for the inputs built to exhaust memory, which must
 * fail within those limits, and for the bound itself.
 */
record ChildCli(int code, String out, String err) {
    /** The limits a child runs under unless a test gives others. */
    static final List<String> SMALL_MEMORY = List.of(
            "-Xmx256m",
            "-Dorg.bytedeco.javacpp.maxbytes=256m",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=1g",
            "-Drankforge.memory.bytes=" + (1L << 30));

    static ChildCli run(Path workDir, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(JvmFlags.sparkFlags().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.rankforge.jobs.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("rankforge-child-", ".out");
        Path err = Files.createTempFile("rankforge-child-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the child CLI ran over 180 s: " + String.join(" ", args));
            }
            return new ChildCli(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
