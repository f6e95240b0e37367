package io.rankforge.profile;

import java.util.List;
import java.util.Objects;

/**
 * The input of every rank search: the compressible layers of one network in network order.
 *
 * @param source        where it came from (model path, reference folder, profile file)
 * @param layers        compressible layers in network order, names unique
 * @param networkMacs   MACs of the whole network for one image, or 0 when unknown (reference profiles)
 * @param networkParams parameters of the whole network, or 0 when unknown
 */
public record NetworkProfile(String source, List<LayerProfile> layers, double networkMacs, double networkParams) {
    public NetworkProfile {
        Objects.requireNonNull(source, "source");
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("profile " + source + " has no compressible layers");
        }
        var seen = new java.util.HashSet<String>();
        for (LayerProfile l : layers) {
            if (!seen.add(l.name())) {
                throw new IllegalArgumentException("profile " + source + " has two layers named '" + l.name() + "'");
            }
        }
    }

    /** Summed MACs of the compressible layers before compression (the default budget base). */
    public double originalMacs() {
        return layers.stream().mapToDouble(LayerProfile::originalMacs).sum();
    }

    /** Summed parameters of the compressible layers before compression. */
    public double originalParams() {
        return layers.stream().mapToDouble(LayerProfile::originalParams).sum();
    }

    public boolean hasNetworkTotals() {
        return networkMacs > 0;
    }

    public int size() {
        return layers.size();
    }

    public LayerProfile layer(int i) {
        return layers.get(i);
    }

    public int indexOf(String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean hasSpectra() {
        return layers.stream().allMatch(LayerProfile::hasSpectrum);
    }

    public boolean hasSensitivity() {
        return layers.stream().allMatch(LayerProfile::hasSensitivity);
    }
}
