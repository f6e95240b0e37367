package io.rankforge.spectrum;

import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;

/**
 * How a layer's weight tensor is reshaped into a matrix and split into two layers (docs/method.md §1).
 * Every formula here is for one image and counts multiply-accumulates (MACs) and weights+biases.
 */
public enum Scheme {
    /**
     * Tai et al. 2016: W as (C·kH) × (kW·N); a vertical kH×1 layer of r filters (stride (s,1), pad (p,0),
     * no bias) then a horizontal 1×kW layer of N filters (stride (1,s), pad (0,p), original bias).
     */
    SPATIAL,
    /** Zhang et al. 2016: W as N × (C·kH·kW); r filters of C×kH×kW, then N filters of r×1×1. */
    CHANNEL,
    /** Fully connected layers and 1×1 convolutions: W as N × C; r units then N units. */
    DENSE;

    /** Rows of the matrix that is decomposed. */
    public long rows(LayerSpec l) {
        return switch (this) {
            case SPATIAL -> (long) l.inChannels() * l.kernelH();
            case CHANNEL -> l.outChannels();
            case DENSE -> l.outChannels();
        };
    }

    /** Columns of the matrix that is decomposed. */
    public long cols(LayerSpec l) {
        return switch (this) {
            case SPATIAL -> (long) l.kernelW() * l.outChannels();
            case CHANNEL -> (long) l.inChannels() * l.kernelH() * l.kernelW();
            case DENSE -> l.inChannels();
        };
    }

    /** The rank at which the truncation is exact: min(rows, cols). */
    public int fullRank(LayerSpec l) {
        return (int) Math.min(rows(l), cols(l));
    }

    /**
     * The parameter-neutral rank (the decomposed layer has as many weights as the original),
     * rounded and capped at the full rank, at least 1.
     */
    public int rMax(LayerSpec l) {
        double c = l.inChannels(), n = l.outChannels(), kh = l.kernelH(), kw = l.kernelW();
        double neutral = switch (this) {
            case SPATIAL -> c * n * kh * kw / (c * kh + n * kw);
            case CHANNEL -> c * n * kh * kw / (c * kh * kw + n);
            case DENSE -> c * n / (c + n);
        };
        return (int) Math.max(1, Math.min(fullRank(l), Math.round(neutral)));
    }

    /** MACs of the two factor layers per unit of rank (the decomposed cost is exactly this × r). */
    public long macsPerRank(LayerSpec l) {
        long c = l.inChannels(), n = l.outChannels(), kh = l.kernelH(), kw = l.kernelW();
        long outPixels = (long) l.outH() * l.outW();
        return switch (this) {
            // the vertical layer does not stride horizontally: it produces H' × W_in (W_in padded by 0)
            case SPATIAL -> c * kh * l.outH() * (long) l.inW() + n * kw * outPixels;
            case CHANNEL -> c * kh * kw * outPixels + n * outPixels;
            case DENSE -> (c + n) * outPixels;
        };
    }

    /** Weights of the two factor layers per unit of rank (biases are {@link #fixedParams}). */
    public long paramsPerRank(LayerSpec l) {
        long c = l.inChannels(), n = l.outChannels(), kh = l.kernelH(), kw = l.kernelW();
        return switch (this) {
            case SPATIAL -> c * kh + n * kw;
            case CHANNEL -> c * kh * kw + n;
            case DENSE -> c + n;
        };
    }

    /** Parameters of the decomposed layer that do not depend on the rank: the original bias. */
    public long fixedParams(LayerSpec l) {
        return l.hasBias() ? l.outChannels() : 0;
    }

    /** MACs of the decomposed layer at rank r. */
    public long macs(LayerSpec l, int rank) {
        return macsPerRank(l) * rank;
    }

    /** Parameters of the decomposed layer at rank r. */
    public long params(LayerSpec l, int rank) {
        return paramsPerRank(l) * rank + fixedParams(l);
    }

    /** Smallest searched rank: max(1, round(r_max · fraction)). */
    public static int rankFloor(int rMax, double minRankFraction) {
        if (!(minRankFraction > 0 && minRankFraction <= 1)) {
            throw new IllegalArgumentException("min-rank-fraction must be in (0, 1], got " + minRankFraction);
        }
        return (int) Math.max(1, Math.min(rMax, Math.round(rMax * minRankFraction)));
    }

    /**
     * The default scheme of a layer: channel for the network's first convolution, dense for FC and 1×1, else
     * spatial.
     */
    public static Scheme defaultFor(LayerSpec l, boolean firstConvolution) {
        if (l.kind() == LayerKind.DENSE || l.isPointwise()) {
            return DENSE;
        }
        return firstConvolution ? CHANNEL : SPATIAL;
    }

    /** Parses "spatial", "channel" or "dense" (any case). */
    public static Scheme parse(String s) {
        for (Scheme v : values()) {
            if (v.name().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown scheme '" + s + "': use spatial, channel or dense");
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
