package io.rankforge.jobs.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The JVM flags Spark 4 and Arrow need (module opens), as the parent pom's {@code spark.jvm.flags}
 * property defines them; the build copies them into a resource so that there is one source of truth.
 */
public final class JvmFlags {
    private static final String RESOURCE = "/io/rankforge/jobs/jvm.properties";

    private JvmFlags() {}

    /** The flags, space separated (plus the Java 24+ flag when this JVM is that new). */
    public static String sparkFlags() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the build did not filter resources-filtered");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String flags = p.getProperty("spark.jvm.flags", "").trim();
        if (flags.isEmpty() || flags.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no flags: " + flags);
        }
        if (Runtime.version().feature() >= 24) {
            flags += " --sun-misc-unsafe-memory-access=allow";
        }
        return flags;
    }

    /** {@code existing} with every flag of {@link #sparkFlags()} it lacks appended. */
    public static String mergeInto(String existing) {
        String base = existing == null ? "" : existing.trim();
        StringBuilder out = new StringBuilder(base);
        for (String f : sparkFlags().split("\\s+")) {
            if (!(" " + base + " ").contains(" " + f + " ")) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(f);
            }
        }
        return out.toString();
    }
}
