package io.rankforge.metric;

import io.rankforge.MetricKind;
import io.rankforge.profile.LayerProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-layer metric curves of the compressed layers of one problem, built once, and the network
 * metrics over them (docs/method.md §2), for a configuration given as ranks in the problem's layer order:
 * <ul>
 *   <li>A_p(R) = Π_l y_p,l(r_l); A_m(R) = Π_l y_m,l(r_l); Frobenius and nuclear likewise;</li>
 *   <li>A_c(R) = A_p(R)·C(R)/C_orig + A_m(R), with C(R) = Σ_l c_l·r_l the MACs of the compressed
 *       layers at R and C_orig their MACs before compression.</li>
 * </ul>
 */
public final class MetricTables {
    private final List<LayerMetrics> layers;
    private final double[] macsPerRank;
    private final double baseMacs;

    private MetricTables(List<LayerMetrics> layers, double[] macsPerRank, double baseMacs) {
        this.layers = layers;
        this.macsPerRank = macsPerRank;
        this.baseMacs = baseMacs;
    }

    /** Tabulates the curves of these layers (in the order the ranks will be given). */
    public static MetricTables of(List<LayerProfile> compressed) {
        List<LayerMetrics> ls = new ArrayList<>(compressed.size());
        double[] c = new double[compressed.size()];
        double base = 0;
        for (int j = 0; j < compressed.size(); j++) {
            LayerProfile l = compressed.get(j);
            ls.add(LayerMetrics.of(l));
            c[j] = l.macsPerRank();
            base += l.originalMacs();
        }
        return new MetricTables(List.copyOf(ls), c, base);
    }

    public int size() {
        return layers.size();
    }

    public LayerMetrics layer(int j) {
        return layers.get(j);
    }

    /** Whether every layer has what the metric needs. */
    public boolean available(MetricKind kind) {
        for (LayerMetrics l : layers) {
            if (!l.has(kind)) {
                return false;
            }
        }
        return true;
    }

    /** The network metric of a configuration (ranks in layer order). */
    public double value(MetricKind kind, int[] ranks) {
        check(ranks);
        if (kind == MetricKind.COMBINED) {
            double cost = 0;
            for (int j = 0; j < ranks.length; j++) {
                cost += macsPerRank[j] * ranks[j];
            }
            return product(MetricKind.PCA, ranks) * cost / baseMacs + product(MetricKind.MEASURED, ranks);
        }
        return product(kind, ranks);
    }

    /** log of a product metric: Σ_l log y_l(r_l) (−∞ when a term is 0). */
    public double logValue(MetricKind kind, int[] ranks) {
        if (!kind.isProduct()) {
            throw new IllegalArgumentException(kind.id() + " is not a product metric");
        }
        check(ranks);
        double s = 0;
        for (int j = 0; j < ranks.length; j++) {
            s += layers.get(j).log(kind, ranks[j]);
        }
        return s;
    }

    private double product(MetricKind kind, int[] ranks) {
        double p = 1;
        for (int j = 0; j < ranks.length; j++) {
            p *= layers.get(j).value(kind, ranks[j]);
        }
        return p;
    }

    /** The values of pca, measured and combined that the profile can compute, keyed by their ids. */
    public Map<String, Double> standardValues(int[] ranks) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (MetricKind k : new MetricKind[] {MetricKind.PCA, MetricKind.MEASURED, MetricKind.COMBINED}) {
            if (available(k)) {
                m.put(k.id(), value(k, ranks));
            }
        }
        return m;
    }

    private void check(int[] ranks) {
        if (ranks.length != layers.size()) {
            throw new IllegalArgumentException(
                    "configuration has " + ranks.length + " ranks, the problem " + layers.size() + " layers");
        }
        for (int j = 0; j < ranks.length; j++) {
            if (ranks[j] < 0 || ranks[j] > layers.get(j).rMax()) {
                throw new IllegalArgumentException(
                        "rank " + ranks[j] + " of layer " + layers.get(j).layer() + " is outside [0, "
                                + layers.get(j).rMax() + "]");
            }
        }
    }
}
