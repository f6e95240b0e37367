package io.rankforge.benchmarks;

import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.ReferenceProfileReader;
import io.rankforge.spectrum.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** The profiles the benchmarks search: the paper's VGG-16 reference data and a synthetic 100-layer network. */
public final class BenchmarkProfiles {
    /** System property naming the folder of the paper's reference data (…/reference/enc). */
    public static final String REFERENCE_DIR = "rankforge.reference.dir";

    private BenchmarkProfiles() {}

    /**
     * The VGG-16 reference profile: from -Drankforge.reference.dir, else the repository's reference/enc found
     * in the working directory or one of its parents.
     */
    public static NetworkProfile vgg16() {
        return ReferenceProfileReader.read(referenceDir().resolve("vgg16"));
    }

    /** The ResNet-56 reference profile (the paper's res56 data, spectra and measured sensitivity). */
    public static NetworkProfile resnet56() {
        return ReferenceProfileReader.read(referenceDir().resolve("res56"));
    }

    static Path referenceDir() {
        String explicit = System.getProperty(REFERENCE_DIR);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("reference/enc");
            if (Files.isDirectory(p.resolve("vgg16"))) {
                return p;
            }
        }
        throw new IllegalStateException("the paper's reference data (reference/enc/vgg16) was not found: run from the "
                + "repository or pass -D" + REFERENCE_DIR + "=/path/to/reference/enc");
    }

    /**
     * A seeded synthetic network of {@code layers} spatially decomposed 3×3 convolutions in four
     * stages (feature maps 32, 16, 8, 4; widths 16…256), with decaying spectra and noisy measured
     * samples at the default fractions of r_max. MACs per rank are integers, as for real layers.
     */
    public static NetworkProfile synthetic(int layers, long seed) {
        Random rnd = new Random(seed);
        int[] widths = {16, 32, 48, 64, 96, 128, 192, 256};
        List<LayerProfile> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            int stage = i * 4 / layers;
            int c = widths[Math.min(widths.length - 1, 2 * stage + rnd.nextInt(2))];
            int n = widths[Math.min(widths.length - 1, 2 * stage + rnd.nextInt(2))];
            int hw = 32 >> stage;
            int full = Math.min(3 * c, 3 * n);
            int rMax = Math.min(full, (int) Math.round(3.0 * c * n / (c + n)));
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
                samples.put(r, f == 1.0 ? 1.0 : 1 - scale * Math.exp(-5 * f) + 0.01 * (rnd.nextDouble() - 0.5));
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
        return new NetworkProfile("synthetic-" + layers + "-" + seed, out, 0, 0);
    }
}
