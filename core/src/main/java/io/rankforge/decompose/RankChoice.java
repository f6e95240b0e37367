package io.rankforge.decompose;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Json;
import io.rankforge.io.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranks a user asks for: {@code original} (nothing decomposed), {@code full} (every compressible layer
 * at full rank: same outputs, more cost), {@code rmax} (every layer at its parameter-neutral rank), or a
 * JSON file {@code {"layer": rank, ...}} (layers not named stay uncompressed).
 */
public final class RankChoice {
    public static final String ORIGINAL = "original";
    public static final String FULL = "full";
    public static final String RMAX = "rmax";

    private RankChoice() {}

    /** Resolves {@code choice} against {@code plan}; every problem is a UserInputException naming it. */
    public static RankConfiguration resolve(String choice, DecompositionPlan plan) {
        if (choice == null || choice.isBlank() || choice.equals(ORIGINAL)) {
            return RankConfiguration.of(Map.of());
        }
        if (choice.equals(FULL)) {
            return plan.fullRanks();
        }
        if (choice.equals(RMAX)) {
            return plan.rMaxRanks();
        }
        return readFile(Path.of(choice), plan);
    }

    /** Reads a ranks file: one JSON object, layer name → integer rank, checked against {@code plan}. */
    public static RankConfiguration readFile(Path file, DecompositionPlan plan) {
        if (Files.isDirectory(file)) {
            throw new UserInputException("ranksFile " + file
                    + " is a directory; give original, full, rmax or a JSON file {\"layer\": rank, ...}");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("ranksFile " + file
                    + ": no such file; give original, full, rmax or a JSON file {\"layer\": rank, ...}");
        }
        String text =
                BoundedInput.readString(file, InputLimits.current().jsonBytes(), "ranksFile " + file, "json-bytes");
        // a layer named twice is a mistake to report, not a choice between two ranks to make silently
        JsonNode root = Json.parseStrict(text, "ranks file " + file);
        if (root == null || !root.isObject()) {
            throw new UserInputException("ranks file " + file + " must hold one JSON object {\"layer\": rank, ...}");
        }
        LinkedHashMap<String, Integer> ranks = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
                bad.add("'" + Listing.shorten(e.getKey()) + "' = " + Listing.shorten(v.toString()));
            } else {
                ranks.put(e.getKey(), v.asInt());
            }
        }
        // unknown layers and ranks above full rank are reported together, by name
        try {
            plan.validate(RankConfiguration.of(ranks));
        } catch (UserInputException e) {
            throw new UserInputException("ranks file " + file + ": " + e.getMessage()
                    + (bad.isEmpty() ? "" : "; ranks must be integers >= 1: " + Listing.of(bad)));
        }
        if (!bad.isEmpty()) {
            throw new UserInputException("ranks file " + file + ": ranks must be integers >= 1: " + Listing.of(bad));
        }
        return RankConfiguration.of(ranks);
    }
}
