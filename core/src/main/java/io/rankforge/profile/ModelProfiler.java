package io.rankforge.profile;

import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.eval.DecomposedAccuracy;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.spectrum.Scheme;
import io.rankforge.spectrum.SpectrumCalculator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Builds the {@link NetworkProfile} of a real DL4J network: shape and cost of every compressible layer
 * under its scheme, its singular values, and optionally its measured sensitivity y_m (docs/method.md §2).
 */
public final class ModelProfiler {
    private ModelProfiler() {}

    /** Profile with spectra only (values-only SVDs: the cheap path), default schemes. */
    public static NetworkProfile spectra(String source, Model model, InputType... inputTypes) {
        DecompositionPlan plan = DecompositionPlan.withDefaultSchemes(NetworkDescriber.describe(model, inputTypes));
        return spectra(source, model, plan);
    }

    /** Profile with spectra only, with the schemes of {@code plan}. */
    public static NetworkProfile spectra(String source, Model model, DecompositionPlan plan) {
        List<LayerProfile> layers = new ArrayList<>();
        for (LayerSpec l : plan.layers()) {
            Scheme s = plan.scheme(l.name());
            layers.add(layerProfile(l, s, SpectrumCalculator.values(model, l, s).singularValues()));
        }
        return new NetworkProfile(
                source,
                layers,
                plan.description().networkMacs(),
                plan.description().networkParams());
    }

    /**
     * Profile with spectra and measured sensitivity: y_m samples at {@code fractions} of each layer's r_max,
     * each the accuracy on {@code heldOut} with that layer alone truncated and every other layer at r_max,
     * divided by the accuracy with every layer at r_max. The spectra are those of the decomposer's factors
     * (each layer's SVD is computed once, for both). {@code heldOut} must be held out of the training data.
     */
    public static NetworkProfile withSensitivity(
            String source, Decomposer decomposer, ImageDataset heldOut, double[] fractions) {
        return withSensitivity(source, decomposer, heldOut, null, fractions);
    }

    /**
     * As {@link #withSensitivity(String, Decomposer, ImageDataset, double[])}, with every compressed network's
     * batch-norm statistics re-estimated from {@code calibration} (training images; null = keep them).
     */
    public static NetworkProfile withSensitivity(
            String source, Decomposer decomposer, ImageDataset heldOut, ImageDataset calibration, double[] fractions) {
        Objects.requireNonNull(heldOut, "heldOut");
        DecompositionPlan plan = decomposer.plan();
        List<LayerProfile> layers = new ArrayList<>();
        for (LayerSpec l : plan.layers()) {
            layers.add(layerProfile(
                    l,
                    plan.scheme(l.name()),
                    decomposer.factors(l.name()).spectrum().singularValues()));
        }
        NetworkProfile p = new NetworkProfile(
                source,
                layers,
                plan.description().networkMacs(),
                plan.description().networkParams());
        return SensitivitySampler.measure(
                p, DecomposedAccuracy.recalibrated(decomposer, heldOut, calibration), fractions);
    }

    /** One layer's profile: ranks and per-rank costs from its scheme, original costs from its spec. */
    public static LayerProfile layerProfile(LayerSpec l, Scheme s, double[] singularValues) {
        return new LayerProfile(
                l.name(),
                s,
                s.fullRank(l),
                s.rMax(l),
                s.macsPerRank(l),
                s.paramsPerRank(l),
                l.macs(),
                l.params(),
                singularValues,
                null);
    }
}
