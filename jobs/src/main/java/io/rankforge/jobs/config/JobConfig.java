package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole experiment configuration, typed and validated: every job reads only this. Built from a
 * HOCON file plus --set overrides on top of reference.conf; every error names the key and its file.
 */
public record JobConfig(
        Settings settings,
        SparkSettings spark,
        ExperimentSettings experiment,
        DataSettings data,
        ProfileSettings profile,
        SensitivitySettings sensitivity,
        SelectSettings select,
        SweepSettings sweep,
        ValidateSettings validate) {
    /** Paths whose keys are free-form (passed to Spark as they are). */
    public static final String[] FREE_FORM = {"rankforge.spark.properties"};

    public JobConfig {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(sensitivity, "sensitivity");
        Objects.requireNonNull(select, "select");
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(validate, "validate");
    }

    /** Loads and validates {@code file} (may be null: defaults only) with "key=value" overrides. */
    public static JobConfig load(Path file, List<String> overrides) {
        return from(Settings.load(file, overrides, FREE_FORM));
    }

    /**
     * {@code file} with {@code overrides}, its models replaced by {@code models} (paths or URIs; model-dir cleared):
     * how a program that makes its own models (the quickstart, the benchmark) hands them to the jobs. Appends the two
     * model overrides to {@code overrides}.
     */
    public static JobConfig loadWithModels(Path file, List<String> overrides, List<String> models) {
        StringBuilder list = new StringBuilder();
        for (String m : models) {
            list.append(list.length() == 0 ? "" : ",").append(io.rankforge.io.Json.line(m));
        }
        overrides.add("experiment.models=[" + list + "]");
        overrides.add("experiment.model-dir=\"\"");
        return load(file, overrides);
    }

    /** Configuration text, e.g. built by a program (the quickstart) or read from a Hadoop filesystem. */
    public static JobConfig parse(String hocon, String sourceName, List<String> overrides) {
        return from(Settings.parse(hocon, sourceName, overrides, FREE_FORM));
    }

    public static JobConfig from(Settings s) {
        return new JobConfig(
                s,
                SparkSettings.from(s),
                ExperimentSettings.from(s),
                DataSettings.from(s),
                ProfileSettings.from(s),
                SensitivitySettings.from(s),
                SelectSettings.from(s),
                SweepSettings.from(s),
                ValidateSettings.from(s));
    }

    /** The resolved configuration (rankforge subtree, JSON) stored with the results. */
    public String resolvedJson() {
        return settings.renderResolved();
    }
}
