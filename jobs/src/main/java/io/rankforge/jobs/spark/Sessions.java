package io.rankforge.jobs.spark;

import io.rankforge.jobs.config.SparkSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a SparkSession is made. Under spark-submit the master and everything else
 * spark-submit set (system properties {@code spark.*}) win; on bin/rankforge the configured master
 * (default {@code local[*]}) is used. Executors get the module flags Spark 4 and Arrow need.
 */
public final class Sessions {
    private Sessions() {}

    /** The SparkConf a session would get (exposed so tests and --dry-run can inspect it). */
    public static SparkConf conf(SparkSettings s) {
        SparkConf conf = new SparkConf(true); // loads spark.* system properties set by spark-submit
        if (!conf.contains("spark.master")) {
            conf.setMaster(s.master());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(s.appName());
        }
        // what spark-submit passed (--conf spark.task.cpus=...) wins over the experiment file
        conf.setIfMissing("spark.ui.enabled", Boolean.toString(s.ui()));
        conf.setIfMissing("spark.task.cpus", Integer.toString(s.taskCpus()));
        // small tables: Spark's default of 200 shuffle partitions only adds scheduling overhead
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
        // the result tables are wide: without this Spark warns about truncated plan strings
        conf.setIfMissing("spark.sql.debug.maxToStringFields", "200");
        for (Map.Entry<String, String> e : s.properties().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        // every executor picks its native build before its first task (a plugin a user listed is kept)
        String plugins = conf.get("spark.plugins", "");
        if (!plugins.contains(NativeBackendPlugin.class.getName())) {
            conf.set(
                    "spark.plugins",
                    plugins.isBlank()
                            ? NativeBackendPlugin.class.getName()
                            : plugins + "," + NativeBackendPlugin.class.getName());
        }
        conf.set(
                "spark.executor.extraJavaOptions", JvmFlags.mergeInto(conf.get("spark.executor.extraJavaOptions", "")));
        conf.set("spark.driver.extraJavaOptions", JvmFlags.mergeInto(conf.get("spark.driver.extraJavaOptions", "")));
        return conf;
    }

    /** A session for the jobs (getOrCreate: a session that already runs in this JVM is reused). */
    public static SparkSession create(SparkSettings s) {
        SparkSession session = SparkSession.builder().config(conf(s)).getOrCreate();
        return session;
    }

    /** Tasks that can run at once: the default parallelism (total executor cores) over the cores a task holds. */
    public static int slots(SparkSession session) {
        return Math.max(1, session.sparkContext().defaultParallelism() / taskCpus(session));
    }

    /** Cores one task holds in this session. */
    public static int taskCpus(SparkSession session) {
        return session.sparkContext().getConf().getInt("spark.task.cpus", 1);
    }
}
