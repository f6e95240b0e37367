package io.rankforge.model;

import java.util.Objects;

/**
 * Shape and cost of one compressible layer of a network, as it is before compression.
 *
 * <p>For a convolution: N = {@code outChannels}, C = {@code inChannels}, a {@code kernelH × kernelW}
 * kernel, strides and paddings, the input feature map {@code inH × inW} and output {@code outH × outW}.
 * For a dense layer the kernel, strides and spatial sizes are all 1 and padding 0.
 *
 * <p>{@code macs} counts the multiply-accumulates of one forward pass for one input image
 * (C·kH·kW·N·H'·W' for a convolution, C·N for a dense layer); {@code params} counts weights plus
 * biases.
 */
public record LayerSpec(
        String name,
        LayerKind kind,
        int inChannels,
        int outChannels,
        int kernelH,
        int kernelW,
        int strideH,
        int strideW,
        int padH,
        int padW,
        int inH,
        int inW,
        int outH,
        int outW,
        boolean hasBias) {

    public LayerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        positive("inChannels", inChannels);
        positive("outChannels", outChannels);
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("inH", inH);
        positive("inW", inW);
        positive("outH", outH);
        positive("outW", outW);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("padding of layer " + name + " must be >= 0, got " + padH + "x" + padW);
        }
        if (kind == LayerKind.DENSE
                && (kernelH != 1 || kernelW != 1 || inH != 1 || inW != 1 || outH != 1 || outW != 1)) {
            throw new IllegalArgumentException("dense layer " + name + " must have unit kernel and spatial size");
        }
    }

    /** A convolution with a square or rectangular kernel. */
    public static LayerSpec convolution(
            String name,
            int inChannels,
            int outChannels,
            int kernelH,
            int kernelW,
            int strideH,
            int strideW,
            int padH,
            int padW,
            int inH,
            int inW,
            int outH,
            int outW,
            boolean hasBias) {
        return new LayerSpec(
                name,
                LayerKind.CONVOLUTION,
                inChannels,
                outChannels,
                kernelH,
                kernelW,
                strideH,
                strideW,
                padH,
                padW,
                inH,
                inW,
                outH,
                outW,
                hasBias);
    }

    /** A fully connected layer with {@code in} inputs and {@code out} outputs. */
    public static LayerSpec dense(String name, int in, int out, boolean hasBias) {
        return new LayerSpec(name, LayerKind.DENSE, in, out, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, hasBias);
    }

    /** Multiply-accumulates of the original layer for one image. */
    public long macs() {
        return (long) inChannels * kernelH * kernelW * outChannels * outH * outW;
    }

    /** Weights plus biases of the original layer. */
    public long params() {
        return (long) inChannels * kernelH * kernelW * outChannels + (hasBias ? outChannels : 0);
    }

    /** True for a convolution whose kernel is 1×1 (decomposed like a dense layer). */
    public boolean isPointwise() {
        return kind == LayerKind.CONVOLUTION && kernelH == 1 && kernelW == 1;
    }

    private static void positive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + v);
        }
    }
}
