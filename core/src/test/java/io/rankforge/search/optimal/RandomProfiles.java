package io.rankforge.search.optimal;

import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.spectrum.Scheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded synthetic profiles of spatially decomposed 3×3 convolutions with varied widths and feature
 * maps (integer MACs per rank, as real layers have), decaying spectra and noisy, sometimes
 * non-monotone measured samples at the default fractions of r_max.
 */
final class RandomProfiles {
    private RandomProfiles() {}

    static NetworkProfile of(int layers, long seed) {
        Random rnd = new Random(seed);
        int[] widths = {16, 32, 48, 64, 96, 128, 192, 256};
        List<LayerProfile> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            int stage = i * 4 / layers;
            int c = widths[Math.min(widths.length - 1, 2 * stage + rnd.nextInt(2))];
            int n = widths[Math.min(widths.length - 1, 2 * stage + rnd.nextInt(2))];
            int hw = 32 >> stage;
            int full = Math.min(3 * c, 3 * n), rMax = Math.min(full, (int) Math.round(3.0 * c * n / (c + n)));
            double macsPerRank = 3.0 * c * hw * hw + 3.0 * n * hw * hw;
            double[] sv = new double[full];
            double decay = 0.005 + 0.05 * rnd.nextDouble();
            for (int k = 0; k < full; k++) {
                sv[k] = Math.exp(-decay * k);
            }
            TreeMap<Integer, Double> samples = new TreeMap<>();
            double scale = 0.02 + 0.3 * rnd.nextDouble();
            for (double f : new double[] {0.1, 0.15, 0.2, 0.4, 1.0}) {
                int r = (int) Math.max(1, Math.round(f * rMax));
                double y = f == 1.0 ? 1.0 : 1 - scale * Math.exp(-5 * f) + 0.01 * (rnd.nextDouble() - 0.5);
                samples.put(r, y);
            }
            double params = 3.0 * (c + n);
            out.add(new LayerProfile(
                    "conv" + i,
                    Scheme.SPATIAL,
                    full,
                    rMax,
                    macsPerRank,
                    params,
                    macsPerRank * rMax,
                    params * rMax,
                    sv,
                    samples));
        }
        return new NetworkProfile("random-" + layers + "-" + seed, out, 0, 0);
    }
}
