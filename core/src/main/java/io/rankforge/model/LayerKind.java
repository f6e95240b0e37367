package io.rankforge.model;

/** The two kinds of layer that low-rank decomposition applies to. */
public enum LayerKind {
    /** A 2-D convolution (DL4J ConvolutionLayer, groups = 1). */
    CONVOLUTION,
    /** A fully connected layer (DL4J DenseLayer or the dense part of an OutputLayer). */
    DENSE
}
