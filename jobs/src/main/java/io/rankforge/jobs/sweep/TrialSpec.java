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
 * @param stratum           label of the iso-cost stratum the configuration was sampled for, or, for a method's pick,
 *                          of the stratum at its budget (null when no stratum's target is its budget)
 * @param stratumLow        the stratum's window: lowest FLOPs fraction (NaN without a stratum)
 * @param stratumHigh       the stratum's window: highest FLOPs fraction, its target (NaN without a stratum)
 * @param source            "random" for a sampled configuration, "pick" for a configuration only the methods chose
 *                          ({@code pickedBy} says which); picks never enter the correlations
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
        String stratum,
        double stratumLow,
        double stratumHigh,
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
                stratum,
                stratumLow,
                stratumHigh,
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
