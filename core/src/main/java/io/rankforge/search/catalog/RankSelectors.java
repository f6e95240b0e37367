package io.rankforge.search.catalog;

import io.rankforge.UserInputException;
import io.rankforge.search.RankSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of rank-selection methods by id. To add a method, add one line to {@link #KNOWN}.
 */
public final class RankSelectors {
    private static final Map<String, Supplier<RankSelector>> KNOWN = new LinkedHashMap<>();

    static {
        register("enc-map", io.rankforge.search.enc.EncMap::new);
        register("enc-model", io.rankforge.search.enc.EncModel::new);
        register("enc-inf", io.rankforge.search.enc.EncInf::new);
        register("optimal", io.rankforge.search.optimal.OptimalSelector::new);
        register("uniform", io.rankforge.search.baseline.UniformSelector::new);
        register("energy-nuclear", io.rankforge.search.baseline.EnergySelector::nuclear);
        register("energy-frobenius", io.rankforge.search.baseline.EnergySelector::frobenius);
        register("vbmf", io.rankforge.search.baseline.VbmfSelector::new);
        register("random", io.rankforge.search.baseline.RandomSelector::new);
    }

    private RankSelectors() {}

    private static void register(String id, Supplier<RankSelector> factory) {
        if (KNOWN.put(id, factory) != null) {
            throw new IllegalStateException("two rank selectors with id " + id);
        }
    }

    /** The selector with this id, with its default settings; an unknown id is a user error listing the known ones. */
    public static RankSelector byId(String id) {
        Supplier<RankSelector> f = id == null ? null : KNOWN.get(id.trim().toLowerCase(java.util.Locale.ROOT));
        if (f == null) {
            throw new UserInputException(
                    "unknown method '" + id + "': use one of " + String.join(", ", KNOWN.keySet()));
        }
        return f.get();
    }

    /** Known ids, in registration order. */
    public static List<String> ids() {
        return List.copyOf(KNOWN.keySet());
    }
}
