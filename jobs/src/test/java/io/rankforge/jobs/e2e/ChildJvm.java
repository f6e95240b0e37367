package io.rankforge.jobs.e2e;

import io.rankforge.jobs.spark.JvmFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM that runs the CLI on this test's class path, as the launcher would. */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code property} ("key=value", or null) is passed as a system property; then the CLI's arguments. */
    static List<String> command(String property, String... args) {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        cmd.addAll(List.of(JvmFlags.sparkFlags().split("\\s+")));
        if (property != null) {
            cmd.add("-D" + property);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.rankforge.jobs.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
