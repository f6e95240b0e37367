package io.rankforge.jobs.sweep;

import io.rankforge.RankConfiguration;
import io.rankforge.jobs.config.FineTuneSettings;
import io.rankforge.jobs.run.TrialId;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration the sweep evaluates: everything a task needs besides the model and the images,
 * and everything the table records about it before it runs.
 *
 * @param trialId           see {@link TrialId}
 * @param model             model name
 * @param modelDigest       SHA-256 of the model file
 * @param layers            compressed layers, network order
 * @param ranks             their ranks
 * @param band              band label, or null when a method's pick lies outside every band
 * @param bandLow           band's lower FLOPs fraction (NaN without a band)
 * @param bandHigh          band's upper FLOPs fraction (NaN without a band)
 * @param source            "random" for a sampled configuration, else the first method that picked it
 * @param pickedBy          every "method@budget" that picked this configuration (empty for samples)
 * @param flopsRatio        MACs of the compressed layers over their original MACs
 * @param paramsRatio       parameters likewise
 * @param networkFlopsRatio MACs of the whole network over its original MACs (NaN when unknown)
 * @param metrics           metric id → value (pca, measured, combined, frobenius, nuclear: those computable)
 * @param fineTune          the fixed fine-tuning, or {@link FineTuneSettings#NONE}
 * @param taskSeed          seed of the task (fine-tuning's shuffles and initialisation)
 */
public record TrialSpec(
        String trialId,
        String model,
        String modelDigest,
        List<String> layers,
        int[] ranks,
        String band,
        double bandLow,
        double bandHigh,
        String source,
        List<String> pickedBy,
        double flopsRatio,
        double paramsRatio,
        double networkFlopsRatio,
        Map<String, Double> metrics,
        FineTuneSettings fineTune,
        long taskSeed)
        implements Serializable {
    public TrialSpec {
        Objects.requireNonNull(trialId, "trialId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelDigest, "modelDigest");
        layers = List.copyOf(layers);
        ranks = ranks.clone();
        if (layers.size() != ranks.length) {
            throw new IllegalArgumentException("layers and ranks differ in length");
        }
        Objects.requireNonNull(source, "source");
        pickedBy = List.copyOf(pickedBy);
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        Objects.requireNonNull(fineTune, "fineTune");
    }

    public RankConfiguration configuration() {
        return RankConfiguration.of(layers, ranks);
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }

    /** The same trial, also picked by {@code methodAtBudget} (e.g. "enc-map@0.25"). */
    public TrialSpec withPick(String methodAtBudget) {
        List<String> p = new java.util.ArrayList<>(pickedBy);
        if (!p.contains(methodAtBudget)) {
            p.add(methodAtBudget);
        }
        return new TrialSpec(
                trialId,
                model,
                modelDigest,
                layers,
                ranks,
                band,
                bandLow,
                bandHigh,
                source,
                p,
                flopsRatio,
                paramsRatio,
                networkFlopsRatio,
                metrics,
                fineTune,
                taskSeed);
    }
}
