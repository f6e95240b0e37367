package io.rankforge.profile;

import io.rankforge.spectrum.Scheme;
import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a rank search needs to know about one compressible layer.
 *
 * @param name            layer name, unique in the network
 * @param scheme          decomposition scheme
 * @param fullRank        min(rows, cols) of the decomposed matrix
 * @param rMax            the parameter-neutral rank (upper end of the searched range)
 * @param macsPerRank     MACs of the decomposed layer per unit of rank (cost is linear in r)
 * @param paramsPerRank   parameters per unit of rank
 * @param originalMacs    MACs of the uncompressed layer
 * @param originalParams  parameters of the uncompressed layer
 * @param singularValues  all singular values, descending, or an empty array when unknown
 * @param sensitivity     measured samples rank → normalised accuracy y_m (empty when not measured)
 */
public record LayerProfile(
        String name,
        Scheme scheme,
        int fullRank,
        int rMax,
        double macsPerRank,
        double paramsPerRank,
        double originalMacs,
        double originalParams,
        double[] singularValues,
        NavigableMap<Integer, Double> sensitivity) {

    public LayerProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scheme, "scheme");
        if (rMax < 1) {
            throw new IllegalArgumentException("rMax of layer " + name + " must be >= 1, got " + rMax);
        }
        if (fullRank < rMax) {
            throw new IllegalArgumentException(
                    "fullRank of layer " + name + " (" + fullRank + ") must be >= rMax (" + rMax + ")");
        }
        if (!(macsPerRank > 0)) {
            throw new IllegalArgumentException("macsPerRank of layer " + name + " must be > 0");
        }
        if (!(paramsPerRank > 0)) {
            throw new IllegalArgumentException("paramsPerRank of layer " + name + " must be > 0");
        }
        singularValues = singularValues == null ? new double[0] : singularValues.clone();
        for (int i = 1; i < singularValues.length; i++) {
            if (singularValues[i] > singularValues[i - 1] * (1 + 1e-9) + 1e-30) {
                throw new IllegalArgumentException(
                        "singular values of layer " + name + " must be descending (index " + i + ")");
            }
        }
        TreeMap<Integer, Double> s = new TreeMap<>(sensitivity == null ? Collections.emptyMap() : sensitivity);
        for (var e : s.entrySet()) {
            if (e.getKey() < 1 || e.getKey() > fullRank) {
                throw new IllegalArgumentException(
                        "sensitivity rank " + e.getKey() + " of layer " + name + " is outside [1, " + fullRank + "]");
            }
            if (!Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException(
                        "sensitivity of layer " + name + " at rank " + e.getKey() + " is not finite");
            }
        }
        sensitivity = Collections.unmodifiableNavigableMap(s);
    }

    public boolean hasSpectrum() {
        return singularValues.length > 0;
    }

    public boolean hasSensitivity() {
        return !sensitivity.isEmpty();
    }

    /** A copy of the singular values (descending). */
    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** Singular value i (0-based) without copying. */
    public double singularValue(int i) {
        return singularValues[i];
    }

    public int spectrumLength() {
        return singularValues.length;
    }

    /** MACs of this layer at rank r. */
    public double macs(int rank) {
        return macsPerRank * rank;
    }

    public LayerProfile withSensitivity(NavigableMap<Integer, Double> samples) {
        return new LayerProfile(
                name,
                scheme,
                fullRank,
                rMax,
                macsPerRank,
                paramsPerRank,
                originalMacs,
                originalParams,
                singularValues,
                samples);
    }

    public LayerProfile withSingularValues(double[] values) {
        return new LayerProfile(
                name,
                scheme,
                fullRank,
                rMax,
                macsPerRank,
                paramsPerRank,
                originalMacs,
                originalParams,
                values,
                sensitivity);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerProfile p
                && name.equals(p.name)
                && scheme == p.scheme
                && fullRank == p.fullRank
                && rMax == p.rMax
                && macsPerRank == p.macsPerRank
                && paramsPerRank == p.paramsPerRank
                && originalMacs == p.originalMacs
                && originalParams == p.originalParams
                && Arrays.equals(singularValues, p.singularValues)
                && sensitivity.equals(p.sensitivity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, scheme, fullRank, rMax, Arrays.hashCode(singularValues), sensitivity);
    }

    @Override
    public String toString() {
        return "LayerProfile[" + name + ", " + scheme.id() + ", rMax=" + rMax + ", fullRank=" + fullRank
                + ", macsPerRank=" + macsPerRank + ", sv=" + singularValues.length + ", samples=" + sensitivity.size()
                + "]";
    }
}
