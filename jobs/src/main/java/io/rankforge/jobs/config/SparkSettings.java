package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.Map;
import java.util.Objects;

/**
 * How the jobs get their Spark.
 *
 * @param master     used only when nothing else (spark-submit's --master) set spark.master
 * @param appName    Spark application name
 * @param taskCpus   cores per task (spark.task.cpus); also the ND4J/OpenBLAS threads of one task
 * @param ui         whether Spark's web UI runs
 * @param properties extra Spark properties, passed unchanged
 */
public record SparkSettings(String master, String appName, int taskCpus, boolean ui, Map<String, String> properties) {
    public SparkSettings {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(appName, "appName");
        if (taskCpus < 1) {
            throw new IllegalArgumentException("taskCpus must be >= 1, got " + taskCpus);
        }
        properties = Map.copyOf(properties);
    }

    static SparkSettings from(Settings s) {
        String master = s.string("rankforge.spark.master");
        if (master.isBlank()) {
            throw s.invalid("rankforge.spark.master", "must not be empty; use local[*] or spark://host:port");
        }
        Map<String, String> props = s.stringMap("rankforge.spark.properties");
        for (String k : props.keySet()) {
            if (!k.startsWith("spark.")) {
                throw s.invalid(
                        "rankforge.spark.properties." + k,
                        "Spark property names start with 'spark.'; quote them, e.g. \"spark.executor.memory\" = 4g");
            }
        }
        return new SparkSettings(
                master,
                s.string("rankforge.spark.app-name"),
                s.integer("rankforge.spark.task-cpus", 1, 1024),
                s.flag("rankforge.spark.ui"),
                props);
    }

    /** A copy for a different master (tests, the launcher's overrides). */
    public SparkSettings withMaster(String newMaster) {
        return new SparkSettings(newMaster, appName, taskCpus, ui, properties);
    }
}
