package io.rankforge.spectrum;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The singular value decomposition of one layer's weight matrix, reshaped per its scheme (docs/method.md §1):
 * M = U·diag(σ)·Vᵀ, thin (k = min(rows, cols) singular triplets).
 *
 * @param layer          layer name
 * @param scheme         the scheme whose reshape M is
 * @param singularValues σ₁ ≥ σ₂ ≥ … ≥ σ_k ≥ 0
 * @param u              rows × k, float64, or null when only the values were computed
 * @param vt             k × cols, float64, or null when only the values were computed
 */
public record LayerSpectrum(String layer, Scheme scheme, double[] singularValues, INDArray u, INDArray vt) {
    public LayerSpectrum {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(singularValues, "singularValues");
        singularValues = singularValues.clone();
        for (int i = 0; i < singularValues.length; i++) {
            if (!(singularValues[i] >= 0) || (i > 0 && singularValues[i] > singularValues[i - 1])) {
                throw new IllegalArgumentException(
                        "singular values of layer " + layer + " must be >= 0 and descending (index " + i + ")");
            }
        }
        if ((u == null) != (vt == null)) {
            throw new IllegalArgumentException("spectrum of layer " + layer + ": give both U and Vt or neither");
        }
        if (u != null
                && (u.rank() != 2
                        || vt.rank() != 2
                        || u.columns() != singularValues.length
                        || vt.rows() != singularValues.length)) {
            throw new IllegalArgumentException("spectrum of layer " + layer + ": U must be rows×"
                    + singularValues.length + " and Vt " + singularValues.length + "×cols");
        }
    }

    /** Values only. */
    public static LayerSpectrum ofValues(String layer, Scheme scheme, double[] singularValues) {
        return new LayerSpectrum(layer, scheme, singularValues, null, null);
    }

    public boolean hasVectors() {
        return u != null;
    }

    /** A copy of the singular values, descending. */
    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    public double singularValue(int i) {
        return singularValues[i];
    }

    /** Number of singular values: the full rank min(rows, cols). */
    public int size() {
        return singularValues.length;
    }

    /** This spectrum without its vectors (what a profile keeps). */
    public LayerSpectrum valuesOnly() {
        return hasVectors() ? ofValues(layer, scheme, singularValues) : this;
    }

    /** √(σ²_{r+1} + … + σ²_k): the Frobenius norm of what truncation to rank r drops (Eckart–Young). */
    public double truncationError(int rank) {
        if (rank < 0 || rank > singularValues.length) {
            throw new IllegalArgumentException("rank must be in [0, " + singularValues.length + "], got " + rank);
        }
        double sum = 0;
        for (int i = rank; i < singularValues.length; i++) {
            sum += singularValues[i] * singularValues[i];
        }
        return Math.sqrt(sum);
    }

    @Override
    public String toString() {
        return "LayerSpectrum[" + layer + ", " + scheme.id() + ", " + singularValues.length + " values"
                + (hasVectors() ? ", with vectors" : "") + "]";
    }
}
