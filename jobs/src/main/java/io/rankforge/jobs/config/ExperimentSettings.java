package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.List;
import java.util.Objects;

/**
 * What is studied and where the results go.
 *
 * @param name     experiment name (stored with the results)
 * @param seed     the experiment seed every random choice derives from
 * @param output   output folder: a local path or any Hadoop filesystem URI
 * @param models   model files (local paths or Hadoop URIs)
 * @param modelDir a folder whose *.zip files are studied too, or "" for none
 */
public record ExperimentSettings(String name, long seed, String output, List<String> models, String modelDir) {
    public ExperimentSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(output, "output");
        models = List.copyOf(models);
        Objects.requireNonNull(modelDir, "modelDir");
        if (output.isBlank()) {
            throw new IllegalArgumentException("output must not be blank");
        }
    }

    static ExperimentSettings from(Settings s) {
        String output = s.string("rankforge.experiment.output");
        if (output.isBlank()) {
            throw s.invalid(
                    "rankforge.experiment.output",
                    "must name an output folder, e.g. runs/my-study or hdfs://nn/rankforge/study");
        }
        String name = s.string("rankforge.experiment.name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw s.invalid(
                    "rankforge.experiment.name", "'" + name + "' may use only letters, digits, '.', '_' and '-'");
        }
        List<String> models = s.strings("rankforge.experiment.models");
        for (String m : models) {
            if (m.isBlank()) {
                throw s.invalid("rankforge.experiment.models", "holds an empty path");
            }
        }
        return new ExperimentSettings(
                name,
                s.integer("rankforge.experiment.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                output,
                models,
                s.string("rankforge.experiment.model-dir"));
    }

    public boolean hasModels() {
        return !models.isEmpty() || !modelDir.isBlank();
    }
}
