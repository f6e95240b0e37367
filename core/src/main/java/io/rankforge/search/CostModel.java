package io.rankforge.search;

import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import java.util.List;

/**
 * The cost of the compressed layers at given ranks: MACs and parameters are linear in each layer's rank (cost per
 * unit of rank × rank, docs/method.md §1); ratios are over the compressed layers' original cost, and the
 * whole-network FLOPs ratio keeps the layers outside the problem at their original cost.
 */
public final class CostModel {
    private final NetworkProfile profile;
    private final List<LayerProfile> layers;
    private final double baseMacs, baseParams;

    CostModel(NetworkProfile profile, List<LayerProfile> compressed) {
        this.profile = profile;
        this.layers = List.copyOf(compressed);
        double bm = 0, bp = 0;
        for (LayerProfile l : layers) {
            bm += l.originalMacs();
            bp += l.originalParams();
        }
        this.baseMacs = bm;
        this.baseParams = bp;
    }

    /** MACs of the compressed layers before compression (C_orig, the base of targetFlops). */
    public double baseMacs() {
        return baseMacs;
    }

    /** Parameters of the compressed layers before compression (the base of targetParams). */
    public double baseParams() {
        return baseParams;
    }

    public double macsPerRank(int j) {
        return layers.get(j).macsPerRank();
    }

    public double paramsPerRank(int j) {
        return layers.get(j).paramsPerRank();
    }

    /** MACs of the compressed layers at these ranks. */
    public double macs(int[] ranks) {
        double s = 0;
        for (int j = 0; j < ranks.length; j++) {
            s += layers.get(j).macsPerRank() * ranks[j];
        }
        return s;
    }

    /** Parameters of the compressed layers' factors at these ranks (rank-dependent weights only). */
    public double params(int[] ranks) {
        double s = 0;
        for (int j = 0; j < ranks.length; j++) {
            s += layers.get(j).paramsPerRank() * ranks[j];
        }
        return s;
    }

    /** MACs at these ranks over the compressed layers' original MACs. */
    public double flopsRatio(int[] ranks) {
        return macs(ranks) / baseMacs;
    }

    /** Parameters at these ranks over the compressed layers' original parameters. */
    public double paramsRatio(int[] ranks) {
        return params(ranks) / baseParams;
    }

    /**
     * MACs of the whole network with these ranks over its original MACs (layers outside the problem unchanged), or
     * NaN when the profile does not know the network's totals.
     */
    public double networkFlopsRatio(int[] ranks) {
        if (!profile.hasNetworkTotals()) {
            return Double.NaN;
        }
        return (profile.networkMacs() - baseMacs + macs(ranks)) / profile.networkMacs();
    }
}
