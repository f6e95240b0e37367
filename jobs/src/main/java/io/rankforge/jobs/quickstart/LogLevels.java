package io.rankforge.jobs.quickstart;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Spark, Hadoop, Parquet and DL4J log a lot at INFO and some harmless WARNs at start-up; the
 * quickstart's console shows its own progress instead, and shows their lines only with --verbose.
 */
public final class LogLevels {
    private static final String[] NOISY = {
        "org.apache.spark",
        "org.apache.hadoop",
        "org.sparkproject",
        "org.apache.parquet",
        "org.apache.arrow",
        "org.deeplearning4j",
        "org.nd4j",
        "io.netty",
        "org.apache.orc"
    };

    private static volatile boolean verbose;

    private LogLevels() {}

    /** Only errors from the libraries; RankForge's own INFO lines stay. */
    public static void quiet() {
        verbose = false;
        for (String n : NOISY) {
            Configurator.setLevel(n, Level.ERROR);
        }
    }

    /** Sets the levels chosen last again (after a library reconfigured logging). */
    public static void reapply() {
        if (verbose) {
            verbose();
        } else {
            quiet();
        }
    }

    /** Everything at INFO, RankForge at DEBUG. */
    public static void verbose() {
        verbose = true;
        Configurator.setRootLevel(Level.INFO);
        for (String n : NOISY) {
            Configurator.setLevel(n, Level.INFO);
        }
        Configurator.setLevel("io.rankforge", Level.DEBUG);
    }
}
