package io.rankforge.model;

import java.util.List;
import java.util.Objects;

/**
 * What a network is made of, for compression: its compressible layers in network (topological)
 * order and the totals over the whole network.
 *
 * @param layers        convolution and dense layers, in network order
 * @param networkMacs   multiply-accumulates of the whole network for one image (compressible layers
 *                      plus any other layer that multiplies, e.g. depthwise or batch norm is not counted)
 * @param networkParams trainable parameters of the whole network (every layer, batch norm included)
 * @param unsupported   names and types of layers that carry weights but cannot be decomposed
 *                      (reported, never ignored silently), as "name (Type)"
 */
public record NetworkDescription(
        List<LayerSpec> layers, long networkMacs, long networkParams, List<String> unsupported) {
    public NetworkDescription {
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        unsupported = List.copyOf(Objects.requireNonNull(unsupported, "unsupported"));
        if (networkMacs < 0 || networkParams < 0) {
            throw new IllegalArgumentException("network totals must be >= 0");
        }
    }

    /** Summed MACs of the compressible layers. */
    public long compressibleMacs() {
        return layers.stream().mapToLong(LayerSpec::macs).sum();
    }

    /** Summed parameters of the compressible layers. */
    public long compressibleParams() {
        return layers.stream().mapToLong(LayerSpec::params).sum();
    }

    public LayerSpec layer(String name) {
        return layers.stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no compressible layer named '" + name + "'"));
    }
}
