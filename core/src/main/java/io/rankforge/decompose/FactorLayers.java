package io.rankforge.decompose;

import io.rankforge.model.LayerSpec;
import io.rankforge.spectrum.Scheme;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * The configurations of the two layers that replace a decomposed layer L (docs/method.md §1).
 * {@code L_a} (first): rank-r outputs, no bias, identity activation, and L's input dropout (it consumes L's
 * input). {@code L_b} (second): L's outputs, bias, activation (and loss, for an output layer).
 * Weight constraints are dropped from both: they were stated for L's weights, not its factors.
 */
final class FactorLayers {
    private FactorLayers() {}

    static String firstName(String layer) {
        return layer + "_a";
    }

    static String secondName(String layer) {
        return layer + "_b";
    }

    static Layer first(Layer original, LayerSpec spec, Scheme scheme, int rank) {
        if (original instanceof ConvolutionLayer conv) {
            ConvolutionLayer a = conv.clone();
            a.setNIn(spec.inChannels());
            a.setNOut(rank);
            int[] k = conv.getKernelSize(), s = conv.getStride(), p = conv.getPadding();
            if (scheme == Scheme.SPATIAL) {
                // vertical kH×1: strides and pads rows only, keeps the input width
                a.setKernelSize(new int[] {k[0], 1});
                a.setStride(new int[] {s[0], 1});
                a.setPadding(new int[] {p[0], 0});
            }
            a.setDilation(new int[] {1, 1});
            a.setHasBias(false);
            return firstCommon(a, spec);
        }
        if (original instanceof DenseLayer dense) {
            DenseLayer a = (DenseLayer) dense.clone();
            a.setNOut(rank);
            a.setHasBias(false);
            a.setHasLayerNorm(false);
            return firstCommon(a, spec);
        }
        if (original instanceof OutputLayer out) {
            // the first factor of an output layer is a plain dense layer; the output layer (and its loss) stays last
            DenseLayer a = new DenseLayer.Builder()
                    .nIn(spec.inChannels())
                    .nOut(rank)
                    .hasBias(false)
                    .build();
            copyTraining(out, a);
            a.setIDropout(out.getIDropout());
            return firstCommon(a, spec);
        }
        throw new IllegalArgumentException(
                "layer " + spec.name() + " (" + original.getClass().getSimpleName() + ") cannot be decomposed");
    }

    static Layer second(Layer original, LayerSpec spec, Scheme scheme, int rank) {
        Layer b;
        if (original instanceof ConvolutionLayer conv) {
            ConvolutionLayer c = conv.clone();
            int[] k = conv.getKernelSize(), s = conv.getStride(), p = conv.getPadding();
            if (scheme == Scheme.SPATIAL) {
                // horizontal 1×kW: strides and pads columns only
                c.setKernelSize(new int[] {1, k[1]});
                c.setStride(new int[] {1, s[1]});
                c.setPadding(new int[] {0, p[1]});
            } else {
                c.setKernelSize(new int[] {1, 1});
                c.setStride(new int[] {1, 1});
                c.setPadding(new int[] {0, 0});
            }
            c.setDilation(new int[] {1, 1});
            b = c;
        } else if (original instanceof BaseLayer base) {
            b = base.clone();
        } else {
            throw new IllegalArgumentException(
                    "layer " + spec.name() + " (" + original.getClass().getSimpleName() + ") cannot be decomposed");
        }
        ((FeedForwardLayer) b).setNIn(rank);
        b.setLayerName(secondName(spec.name()));
        b.setIDropout(null); // dropout acts on L's input, which L_a consumes
        b.setConstraints(null);
        return b;
    }

    private static Layer firstCommon(BaseLayer a, LayerSpec spec) {
        a.setLayerName(firstName(spec.name()));
        a.setActivationFn(new ActivationIdentity());
        a.setConstraints(null);
        return a;
    }

    /**
     * Updater, regularisation, initialisation and gradient settings of {@code from}, for a layer built from
     * scratch.
     */
    private static void copyTraining(BaseLayer from, BaseLayer to) {
        to.setIUpdater(from.getIUpdater());
        to.setBiasUpdater(from.getBiasUpdater());
        to.setRegularization(from.getRegularization());
        to.setRegularizationBias(from.getRegularizationBias());
        to.setWeightInitFn(from.getWeightInitFn());
        to.setBiasInit(from.getBiasInit());
        to.setGainInit(from.getGainInit());
        to.setGradientNormalization(from.getGradientNormalization());
        to.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        to.setWeightNoise(from.getWeightNoise());
    }
}
