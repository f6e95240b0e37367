package io.rankforge.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Json;
import io.rankforge.spectrum.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The project's own profile file (JSON), written by {@code rankforge profile}:
 * <pre>
 * {"format": "rankforge-profile/1", "source": "...", "network_macs": .., "network_params": ..,
 *  "layers": [{"name", "scheme", "rmax", "full_rank", "macs", "params", "macs_per_rank",
 *              "params_per_rank", "singular_values": [all, descending],
 *              "sensitivity": {"rank": normalised accuracy, ...}}, ...],
 *  "provenance": {...}}
 * </pre>
 * {@code macs}/{@code params} are the layer's original cost. Reading tolerates a missing
 * {@code sensitivity} and {@code provenance}; a missing required field is a user error naming it.
 */
public final class ProfileJson {
    public static final String FORMAT = "rankforge-profile/1";

    private ProfileJson() {}

    /** The profile as a JSON object; {@code provenance} (may be null) is attached as is. */
    public static ObjectNode toJson(NetworkProfile p, JsonNode provenance) {
        ObjectNode root = Json.object();
        root.put("format", FORMAT);
        root.put("source", p.source());
        root.put("network_macs", p.networkMacs());
        root.put("network_params", p.networkParams());
        ArrayNode layers = root.putArray("layers");
        for (LayerProfile l : p.layers()) {
            ObjectNode o = layers.addObject();
            o.put("name", l.name());
            o.put("scheme", l.scheme().id());
            o.put("rmax", l.rMax());
            o.put("full_rank", l.fullRank());
            o.put("macs", l.originalMacs());
            o.put("params", l.originalParams());
            o.put("macs_per_rank", l.macsPerRank());
            o.put("params_per_rank", l.paramsPerRank());
            ArrayNode sv = o.putArray("singular_values");
            for (int i = 0; i < l.spectrumLength(); i++) {
                sv.add(l.singularValue(i));
            }
            if (l.hasSensitivity()) {
                ObjectNode s = o.putObject("sensitivity");
                for (var e : l.sensitivity().entrySet()) {
                    s.put(Integer.toString(e.getKey()), e.getValue());
                }
            }
        }
        if (provenance != null) {
            root.set("provenance", provenance);
        }
        return root;
    }

    /** Writes the profile atomically (temp file, then rename). */
    public static void write(NetworkProfile p, JsonNode provenance, Path file) {
        AtomicFiles.writeString(file, Json.pretty(toJson(p, provenance)) + "\n");
    }

    public static NetworkProfile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("profile file " + file + " does not exist");
        }
        String text =
                BoundedInput.readString(file, InputLimits.current().jsonBytes(), "profile file " + file, "json-bytes");
        return fromJson(Json.parse(text, "profile file " + file), file.toString());
    }

    public static NetworkProfile fromJson(JsonNode root, String what) {
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new UserInputException(
                    what + " has no \"layers\" array: is it a profile written by rankforge profile?");
        }
        List<LayerProfile> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode o = layers.get(i);
            String where = what + " layer " + (i + 1);
            String name = text(o, "name", where);
            where = what + " layer " + name;
            Scheme scheme;
            try {
                scheme = Scheme.parse(text(o, "scheme", where));
            } catch (IllegalArgumentException e) {
                throw new UserInputException(where + ": " + e.getMessage());
            }
            int rMax = (int) number(o, "rmax", where);
            int fullRank = (int) number(o, "full_rank", where);
            double macs = number(o, "macs", where), params = number(o, "params", where);
            double mpr = o.has("macs_per_rank") ? number(o, "macs_per_rank", where) : macs / rMax;
            double ppr = o.has("params_per_rank") ? number(o, "params_per_rank", where) : params / rMax;
            double[] sv = new double[0];
            JsonNode s = o.get("singular_values");
            if (s != null && s.isArray()) {
                sv = new double[s.size()];
                for (int k = 0; k < sv.length; k++) {
                    sv[k] = s.get(k).asDouble();
                }
            }
            TreeMap<Integer, Double> samples = new TreeMap<>();
            JsonNode sens = o.get("sensitivity");
            if (sens != null && sens.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = sens.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    try {
                        samples.put(Integer.parseInt(e.getKey()), e.getValue().asDouble());
                    } catch (NumberFormatException ex) {
                        throw new UserInputException(where + ": sensitivity key '" + e.getKey() + "' is not a rank");
                    }
                }
            }
            try {
                out.add(new LayerProfile(name, scheme, fullRank, rMax, mpr, ppr, macs, params, sv, samples));
            } catch (IllegalArgumentException e) {
                throw new UserInputException(what + ": " + e.getMessage());
            }
        }
        String source = root.hasNonNull("source") ? root.get("source").asText() : what;
        try {
            return new NetworkProfile(
                    source,
                    out,
                    root.path("network_macs").asDouble(0),
                    root.path("network_params").asDouble(0));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(what + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new UserInputException(where + " has no text field \"" + field + "\"");
        }
        return v.asText();
    }

    private static double number(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw new UserInputException(where + " has no number field \"" + field + "\"");
        }
        return v.asDouble();
    }
}
