package io.rankforge.decompose;

import io.rankforge.RankConfiguration;
import io.rankforge.model.LayerSpec;
import io.rankforge.spectrum.Scheme;

/**
 * MACs (multiply-accumulates for one image) and parameters of a network compressed with a rank
 * configuration, next to the original's. Layers absent from the configuration count at their original cost.
 *
 * <p>"Compressible" numbers sum over the compressible layers only (convolutions and dense layers; the
 * paper's convention and the default meaning of a budget). "Network" numbers cover the whole network as
 * {@link io.rankforge.model.NetworkDescription} counts it: network MACs add the other weight layers that
 * multiply (never batch norm, pooling or activations); network params are every stored parameter,
 * batch norm's four per channel included.
 */
public record CompressionCost(
        long originalCompressibleMacs,
        long compressibleMacs,
        long originalCompressibleParams,
        long compressibleParams,
        long originalNetworkMacs,
        long networkMacs,
        long originalNetworkParams,
        long networkParams) {

    /** Cost of {@code ranks} under {@code plan} (ranks are validated: unknown layers or bad ranks are rejected). */
    public static CompressionCost of(DecompositionPlan plan, RankConfiguration ranks) {
        plan.validate(ranks);
        long origMacs = 0, macs = 0, origParams = 0, params = 0;
        for (LayerSpec l : plan.layers()) {
            origMacs += l.macs();
            origParams += l.params();
            if (ranks.contains(l.name())) {
                Scheme s = plan.scheme(l.name());
                int r = ranks.rank(l.name());
                macs += s.macs(l, r);
                params += s.params(l, r);
            } else {
                macs += l.macs();
                params += l.params();
            }
        }
        var d = plan.description();
        return new CompressionCost(
                origMacs,
                macs,
                origParams,
                params,
                d.networkMacs(),
                d.networkMacs() - origMacs + macs,
                d.networkParams(),
                d.networkParams() - origParams + params);
    }

    /** Compressible-layer MACs after / before: the paper's FLOPs ratio. */
    public double compressibleFlopsRatio() {
        return ratio(compressibleMacs, originalCompressibleMacs);
    }

    /** Compressible-layer parameters after / before. */
    public double compressibleParamsRatio() {
        return ratio(compressibleParams, originalCompressibleParams);
    }

    /** Whole-network MACs after / before. */
    public double networkFlopsRatio() {
        return ratio(networkMacs, originalNetworkMacs);
    }

    /** Whole-network parameters after / before (batch norm and every other stored parameter included). */
    public double networkParamsRatio() {
        return ratio(networkParams, originalNetworkParams);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
