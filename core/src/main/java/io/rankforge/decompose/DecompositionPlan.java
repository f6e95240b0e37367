package io.rankforge.decompose;

import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.io.Listing;
import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescription;
import io.rankforge.spectrum.Scheme;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network's compressible layers with the scheme each one is decomposed with: everything needed to
 * check a {@link RankConfiguration} and to compute its cost, without touching weights.
 *
 * @param description the network's description
 * @param schemes     layer name → scheme, one entry per compressible layer, in network order
 */
public record DecompositionPlan(NetworkDescription description, Map<String, Scheme> schemes) {
    public DecompositionPlan {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(schemes, "schemes");
        LinkedHashMap<String, Scheme> ordered = new LinkedHashMap<>();
        for (LayerSpec l : description.layers()) {
            Scheme s = schemes.get(l.name());
            if (s == null) {
                throw new IllegalArgumentException("no scheme for layer " + l.name());
            }
            checkApplicable(l, s);
            ordered.put(l.name(), s);
        }
        for (String name : schemes.keySet()) {
            if (!ordered.containsKey(name)) {
                throw new UserInputException(
                        "scheme given for unknown layer '" + name + "'; compressible layers: " + ordered.keySet());
            }
        }
        schemes = Collections.unmodifiableMap(ordered);
    }

    /**
     * The default schemes (docs/method.md §1): channel for the network's first convolution, dense for dense
     * layers and 1×1 convolutions, spatial for every other convolution.
     */
    public static DecompositionPlan withDefaultSchemes(NetworkDescription description) {
        return withSchemes(description, Map.of());
    }

    /** Default schemes, except for the layers named in {@code overrides}. */
    public static DecompositionPlan withSchemes(NetworkDescription description, Map<String, Scheme> overrides) {
        LinkedHashMap<String, Scheme> s = new LinkedHashMap<>();
        boolean firstConv = true;
        for (LayerSpec l : description.layers()) {
            boolean isFirst = firstConv && l.kind() == LayerKind.CONVOLUTION;
            if (l.kind() == LayerKind.CONVOLUTION) {
                firstConv = false;
            }
            s.put(l.name(), Scheme.defaultFor(l, isFirst));
        }
        for (var e : overrides.entrySet()) {
            if (!s.containsKey(e.getKey())) {
                throw new UserInputException(
                        "scheme given for unknown layer '" + e.getKey() + "'; compressible layers: " + s.keySet());
            }
            s.put(e.getKey(), e.getValue());
        }
        return new DecompositionPlan(description, s);
    }

    public List<LayerSpec> layers() {
        return description.layers();
    }

    public LayerSpec layer(String name) {
        return description.layer(name);
    }

    public Scheme scheme(String layer) {
        Scheme s = schemes.get(layer);
        if (s == null) {
            throw new IllegalArgumentException("no compressible layer named '" + layer + "'");
        }
        return s;
    }

    public int fullRank(String layer) {
        return scheme(layer).fullRank(layer(layer));
    }

    public int rMax(String layer) {
        return scheme(layer).rMax(layer(layer));
    }

    /** Every compressible layer at its full rank (the decomposed network computes what the original did). */
    public RankConfiguration fullRanks() {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        for (LayerSpec l : layers()) {
            m.put(l.name(), schemes.get(l.name()).fullRank(l));
        }
        return RankConfiguration.of(m);
    }

    /** Every compressible layer at its parameter-neutral rank r_max. */
    public RankConfiguration rMaxRanks() {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        for (LayerSpec l : layers()) {
            m.put(l.name(), schemes.get(l.name()).rMax(l));
        }
        return RankConfiguration.of(m);
    }

    /**
     * Checks that every layer of {@code ranks} is a compressible layer and its rank is in [1, full rank].
     *
     * @throws UserInputException naming every offending layer
     */
    public void validate(RankConfiguration ranks) {
        List<String> unknown = new ArrayList<>();
        List<String> outOfRange = new ArrayList<>();
        for (var e : ranks.ranks().entrySet()) {
            if (!schemes.containsKey(e.getKey())) {
                unknown.add("'" + Listing.shorten(e.getKey()) + "'");
                continue;
            }
            int full = fullRank(e.getKey());
            if (e.getValue() < 1 || e.getValue() > full) {
                outOfRange.add(
                        "'" + Listing.shorten(e.getKey()) + "' = " + e.getValue() + " (allowed 1.." + full + ")");
            }
        }
        List<String> problems = new ArrayList<>();
        if (!unknown.isEmpty()) {
            problems.add("unknown layer(s) " + Listing.of(unknown) + " (compressible layers: "
                    + Listing.of(schemes.keySet()) + ")");
        }
        if (!outOfRange.isEmpty()) {
            problems.add("rank(s) out of range: " + Listing.of(outOfRange));
        }
        if (!problems.isEmpty()) {
            throw new UserInputException("invalid ranks: " + String.join("; ", problems));
        }
    }

    /** Cost of the network compressed with {@code ranks} (validated first). */
    public CompressionCost cost(RankConfiguration ranks) {
        return CompressionCost.of(this, ranks);
    }

    private static void checkApplicable(LayerSpec l, Scheme s) {
        if (l.kind() == LayerKind.DENSE && s != Scheme.DENSE) {
            throw new UserInputException(
                    "layer " + l.name() + " is fully connected: it takes the dense scheme, not " + s.id());
        }
        if (l.kind() == LayerKind.CONVOLUTION && s == Scheme.DENSE && !l.isPointwise()) {
            throw new UserInputException("layer " + l.name() + " has a " + l.kernelH() + "x" + l.kernelW()
                    + " kernel: the dense scheme applies to 1x1 convolutions; use spatial or channel");
        }
    }
}
