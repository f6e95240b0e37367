package io.rankforge.decompose;

import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.spectrum.LayerSpectrum;
import io.rankforge.spectrum.Scheme;
import io.rankforge.spectrum.SpectrumCalculator;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The full-rank factors of one layer, computed once from its SVD M = U·Σ·Vᵀ and truncated to any rank
 * by slicing (never a new SVD). The first factor (layer {@code L_a}, applied to the input) carries √Σ·Vᵀ
 * (spatial: U·√Σ, the vertical side), the second ({@code L_b}) the other side, both in DL4J's weight layout:
 * <ul>
 *   <li>convolution, channel or dense scheme: first [r, C, kH, kW], second [N, r, 1, 1];</li>
 *   <li>convolution, spatial scheme: first [r, C, kH, 1] (vertical), second [N, r, 1, kW] (horizontal);</li>
 *   <li>dense layer: first [C, r], second [r, N].</li>
 * </ul>
 * The SVD runs in float64; the factors are stored in the layer's own data type (float32 for the zoo: half
 * the memory of a VGG-16 fc6's factors) and sliced from there. Instances are immutable and safe to share
 * between threads.
 */
public final class LayerFactors {
    private final LayerSpec spec;
    private final Scheme scheme;
    private final LayerSpectrum spectrum;
    private final INDArray first;
    private final INDArray second;

    private LayerFactors(LayerSpec spec, Scheme scheme, LayerSpectrum spectrum, INDArray first, INDArray second) {
        this.spec = spec;
        this.scheme = scheme;
        this.spectrum = spectrum;
        this.first = first;
        this.second = second;
    }

    /** Computes the SVD of {@code spec}'s weights in {@code model} and builds the full-rank factors. */
    public static LayerFactors compute(Model model, LayerSpec spec, Scheme scheme) {
        INDArray w = SpectrumCalculator.weightsOf(model, spec.name());
        return fromSpectrum(
                spec,
                SpectrumCalculator.withVectors(spec.name(), scheme, SpectrumCalculator.matrix(spec, scheme, w)),
                w.dataType());
    }

    /** Builds the full-rank factors, stored in {@code storage}, from a spectrum that has its singular vectors. */
    public static LayerFactors fromSpectrum(LayerSpec spec, LayerSpectrum spectrum, DataType storage) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(spectrum, "spectrum");
        if (!spectrum.hasVectors()) {
            throw new IllegalArgumentException("spectrum of layer " + spec.name() + " has no singular vectors");
        }
        Scheme scheme = spectrum.scheme();
        long k = spectrum.size();
        if (k != scheme.fullRank(spec)) {
            throw new IllegalArgumentException("spectrum of layer " + spec.name() + " has " + k
                    + " values, the layer's full rank is " + scheme.fullRank(spec));
        }
        INDArray sqrt = Nd4j.createFromArray(spectrum.singularValues());
        sqrt = org.nd4j.linalg.ops.transforms.Transforms.sqrt(sqrt, true);
        INDArray us = spectrum.u().mulRowVector(sqrt); // rows × k
        INDArray svt = spectrum.vt().mulColumnVector(sqrt); // k × cols
        long n = spec.outChannels(), c = spec.inChannels(), kh = spec.kernelH(), kw = spec.kernelW();
        INDArray a, b;
        if (spec.kind() == LayerKind.DENSE) {
            a = svt.transpose().dup('c'); // [C, k]
            b = us.transpose().dup('c'); // [k, N]
        } else if (scheme == Scheme.SPATIAL) {
            // us: rows (c, i) → [C, kH, k] → [k, C, kH] ; svt: columns (j, n) → [k, kW, N] → [N, k, kW]
            a = us.reshape('c', c, kh, k).permute(2, 0, 1).dup('c').reshape('c', k, c, kh, 1);
            b = svt.reshape('c', k, kw, n).permute(2, 0, 1).dup('c').reshape('c', n, k, 1, kw);
        } else {
            a = svt.dup('c').reshape('c', k, c, kh, kw);
            b = us.dup('c').reshape('c', n, k, 1, 1);
        }
        return new LayerFactors(spec, scheme, spectrum.valuesOnly(), a.castTo(storage), b.castTo(storage));
    }

    public LayerSpec spec() {
        return spec;
    }

    public String layer() {
        return spec.name();
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The singular values (no vectors). */
    public LayerSpectrum spectrum() {
        return spectrum;
    }

    public int fullRank() {
        return spectrum.size();
    }

    /** Weights of the first factor layer {@code L_a} at {@code rank}, a new array of {@code type}. */
    public INDArray first(int rank, DataType type) {
        checkRank(rank);
        // the rank is the output dimension of L_a: dim 0 of a convolution kernel, dim 1 of a dense matrix
        return slice(first, spec.kind() == LayerKind.DENSE ? 1 : 0, rank).castTo(type);
    }

    /** Weights of the second factor layer {@code L_b} at {@code rank}, a new array of {@code type}. */
    public INDArray second(int rank, DataType type) {
        checkRank(rank);
        // the rank is the input dimension of L_b: dim 1 of a convolution kernel, dim 0 of a dense matrix
        return slice(second, spec.kind() == LayerKind.DENSE ? 0 : 1, rank).castTo(type);
    }

    private static INDArray slice(INDArray full, int dim, int rank) {
        INDArrayIndex[] idx = new INDArrayIndex[full.rank()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i == dim ? NDArrayIndex.interval(0, rank) : NDArrayIndex.all();
        }
        return full.get(idx).dup('c');
    }

    private void checkRank(int rank) {
        if (rank < 1 || rank > fullRank()) {
            throw new IllegalArgumentException(
                    "rank of layer " + spec.name() + " must be in [1, " + fullRank() + "], got " + rank);
        }
    }

    @Override
    public String toString() {
        return "LayerFactors[" + spec.name() + ", " + scheme.id() + ", full rank " + fullRank() + "]";
    }
}
