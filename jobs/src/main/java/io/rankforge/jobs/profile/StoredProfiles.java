package io.rankforge.jobs.profile;

import io.rankforge.UserInputException;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.store.Tables;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.spectrum.Scheme;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The network profiles of the experiment's models as the profile (and sensitivity) jobs stored them,
 * keyed by model digest. A model that is new or changed since those jobs ran is an error naming it.
 */
public final class StoredProfiles {
    private StoredProfiles() {}

    /**
     * @param withSensitivity attach the sensitivity table's y_m samples when the table exists
     * @param requireSensitivity fail when they are missing
     */
    public static Map<String, NetworkProfile> read(
            JobContext ctx, boolean withSensitivity, boolean requireSensitivity) {
        List<Row> rows = Tables.read(ctx.spark(), ctx.store(), Tables.PROFILES, "profile")
                .select(
                        "model_digest",
                        "layer",
                        "layer_index",
                        "scheme",
                        "full_rank",
                        "r_max",
                        "macs_per_rank",
                        "params_per_rank",
                        "original_macs",
                        "original_params",
                        "network_macs",
                        "network_params",
                        "singular_values",
                        "model_uri")
                .collectAsList();
        Map<String, Map<String, NavigableMap<Integer, Double>>> samples = new HashMap<>();
        boolean haveSensitivity =
                (withSensitivity || requireSensitivity) && ctx.store().hasTable(Tables.SENSITIVITY);
        if (requireSensitivity && !haveSensitivity) {
            throw new UserInputException("the measured metric needs the sensitivity table under " + ctx.store()
                    + "; run `rankforge sensitivity` with the same configuration first (or set "
                    + "rankforge.select.metric = pca)");
        }
        if (haveSensitivity) {
            for (Row r : ctx.spark()
                    .read()
                    .parquet(ctx.store().tableUri(Tables.SENSITIVITY))
                    .select("model_digest", "layer", "rank", "y_m")
                    .collectAsList()) {
                samples.computeIfAbsent(r.getString(0), k -> new HashMap<>())
                        .computeIfAbsent(r.getString(1), k -> new TreeMap<>())
                        .put(r.getInt(2), r.getDouble(3));
            }
        }
        Map<String, TreeMap<Integer, Row>> byModel = new HashMap<>();
        for (Row r : rows) {
            byModel.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(2), r);
        }
        Map<String, NetworkProfile> out = new HashMap<>();
        for (ModelInput m : ctx.models()) {
            TreeMap<Integer, Row> layers = byModel.get(m.digest());
            if (layers == null) {
                throw new UserInputException("model " + m.uri() + " is not in the profiles table under " + ctx.store()
                        + " (new, or changed since it was profiled); run `rankforge profile` with "
                        + "this configuration first");
            }
            Map<String, NavigableMap<Integer, Double>> ms = samples.getOrDefault(m.digest(), Map.of());
            if (requireSensitivity && ms.isEmpty()) {
                throw new UserInputException("model " + m.uri() + " has no rows in the sensitivity table under "
                        + ctx.store() + "; run `rankforge sensitivity` with this configuration first");
            }
            List<LayerProfile> lp = new ArrayList<>();
            double netMacs = 0, netParams = 0;
            for (Row r : layers.values()) {
                List<Double> sv = r.getList(12);
                double[] s = new double[sv.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = sv.get(i);
                }
                lp.add(new LayerProfile(
                        r.getString(1),
                        Scheme.parse(r.getString(3)),
                        r.getInt(4),
                        r.getInt(5),
                        r.getDouble(6),
                        r.getDouble(7),
                        r.getDouble(8),
                        r.getDouble(9),
                        s,
                        ms.getOrDefault(r.getString(1), new TreeMap<>())));
                netMacs = r.getDouble(10);
                netParams = r.getDouble(11);
            }
            out.put(m.digest(), new NetworkProfile(m.uri(), lp, netMacs, netParams));
        }
        return out;
    }
}
