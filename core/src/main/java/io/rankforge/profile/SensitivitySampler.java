package io.rankforge.profile;

import io.rankforge.AccuracyOracle;
import io.rankforge.RankConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures y_m samples (docs/method.md §2): for each layer and each sample fraction f, the accuracy of the
 * network with that layer alone at rank max(1, round(f·r_max)) and every other layer at r_max, divided
 * by the accuracy with every layer at r_max. The sample at r_max is that baseline itself, so it is 1
 * and costs no evaluation. All configurations go to the oracle in one batch
 * ({@link AccuracyOracle#accuracies}), so a distributed oracle can run them in parallel.
 */
public final class SensitivitySampler {
    /** The default sample fractions of r_max. */
    public static final double[] DEFAULT_FRACTIONS = {0.1, 0.15, 0.2, 0.4, 1.0};

    private SensitivitySampler() {}

    /** The sample ranks of a layer: max(1, round(f·r_max)) for each fraction, distinct, ascending. */
    public static int[] sampleRanks(int rMax, double[] fractions) {
        TreeMap<Integer, Boolean> r = new TreeMap<>();
        for (double f : fractions) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("sample fraction must be in (0, 1], got " + f);
            }
            r.put((int) Math.max(1, Math.min(rMax, Math.round(f * rMax))), Boolean.TRUE);
        }
        return r.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The profile with every layer's sensitivity samples measured by the oracle. */
    public static NetworkProfile measure(NetworkProfile profile, AccuracyOracle oracle, double[] fractions) {
        Map<String, Integer> full = new LinkedHashMap<>();
        for (LayerProfile l : profile.layers()) {
            full.put(l.name(), l.rMax());
        }
        List<RankConfiguration> configs = new ArrayList<>();
        List<int[]> where = new ArrayList<>(); // {layer index, rank}
        configs.add(RankConfiguration.of(full));
        for (int i = 0; i < profile.size(); i++) {
            LayerProfile l = profile.layer(i);
            for (int r : sampleRanks(l.rMax(), fractions)) {
                if (r == l.rMax()) {
                    continue;
                }
                Map<String, Integer> m = new LinkedHashMap<>(full);
                m.put(l.name(), r);
                configs.add(RankConfiguration.of(m));
                where.add(new int[] {i, r});
            }
        }
        List<Double> acc = oracle.accuracies(configs);
        if (acc.size() != configs.size()) {
            throw new IllegalStateException(
                    "oracle returned " + acc.size() + " accuracies for " + configs.size() + " configurations");
        }
        double base = acc.get(0);
        if (!(base > 0)) {
            throw new IllegalStateException("the network at r_max has accuracy " + base
                    + " on the held-out split: sensitivity cannot be normalised");
        }
        List<TreeMap<Integer, Double>> samples = new ArrayList<>();
        for (LayerProfile l : profile.layers()) {
            TreeMap<Integer, Double> s = new TreeMap<>();
            s.put(l.rMax(), 1.0);
            samples.add(s);
        }
        for (int k = 0; k < where.size(); k++) {
            samples.get(where.get(k)[0]).put(where.get(k)[1], acc.get(k + 1) / base);
        }
        List<LayerProfile> out = new ArrayList<>();
        for (int i = 0; i < profile.size(); i++) {
            out.add(profile.layer(i).withSensitivity(samples.get(i)));
        }
        return new NetworkProfile(profile.source(), out, profile.networkMacs(), profile.networkParams());
    }
}
