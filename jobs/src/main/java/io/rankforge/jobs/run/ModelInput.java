package io.rankforge.jobs.run;

import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.model.LoadedModel;
import java.util.Objects;

/**
 * One model of the experiment, read and checked on the driver before any task runs.
 *
 * @param name   short name (file name without extension; disambiguated when two files share it)
 * @param uri    where it was read (any Hadoop filesystem)
 * @param blob   its bytes and digest, what executors receive
 * @param loaded the model loaded on the driver
 * @param plan   its compressible layers with their decomposition schemes
 */
public record ModelInput(String name, String uri, ModelBlob blob, LoadedModel loaded, DecompositionPlan plan) {
    public ModelInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(loaded, "loaded");
        Objects.requireNonNull(plan, "plan");
    }

    public String digest() {
        return blob.digest();
    }
}
