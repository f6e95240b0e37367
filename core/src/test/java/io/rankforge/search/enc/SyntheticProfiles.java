package io.rankforge.search.enc;

import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.spectrum.Scheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Seeded synthetic profiles: decaying spectra and saturating sensitivity samples at the default fractions. */
final class SyntheticProfiles {
    private SyntheticProfiles() {}

    static NetworkProfile of(int layers, long seed) {
        Random rnd = new Random(seed);
        List<LayerProfile> out = new ArrayList<>();
        int[] widths = {16, 32, 64, 128, 256};
        for (int i = 0; i < layers; i++) {
            int c = widths[Math.min(widths.length - 1, i * widths.length / layers)], n = c;
            int full = 3 * c, rMax = (int) Math.round(c * n * 3.0 / (c + n));
            double macsPerRank = (3 * c + 3 * n)
                    * (double) (32 >> Math.min(4, i * 5 / layers))
                    * (32 >> Math.min(4, i * 5 / layers));
            double[] sv = new double[full];
            double decay = 0.01 + 0.05 * rnd.nextDouble();
            for (int k = 0; k < full; k++) {
                sv[k] = Math.exp(-decay * k) * (1 + 0.01 * rnd.nextDouble());
            }
            java.util.Arrays.sort(sv);
            for (int a = 0, b = full - 1; a < b; a++, b--) {
                double t = sv[a];
                sv[a] = sv[b];
                sv[b] = t;
            }
            TreeMap<Integer, Double> samples = new TreeMap<>();
            double scale = 0.02 + 0.2 * rnd.nextDouble();
            for (double f : new double[] {0.1, 0.15, 0.2, 0.4, 1.0}) {
                int r = (int) Math.max(1, Math.round(f * rMax));
                samples.put(r, f == 1.0 ? 1.0 : 1 - scale * Math.exp(-6 * f) * (1 + 0.1 * rnd.nextDouble()));
            }
            out.add(new LayerProfile(
                    "l" + i,
                    Scheme.SPATIAL,
                    full,
                    rMax,
                    macsPerRank,
                    3.0 * (c + n),
                    macsPerRank * rMax,
                    3.0 * (c + n) * rMax,
                    sv,
                    samples));
        }
        return new NetworkProfile("synthetic-" + layers + "-" + seed, out, 0, 0);
    }
}
