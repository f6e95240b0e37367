package io.rankforge.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Method-specific settings of a problem ("enc-model.delta" → "0.1"), as given, read with a type on use; a value
 * that does not parse fails with a {@link SelectionProblemException} naming its key.
 */
public final class MethodOptions {
    private final Map<String, String> values;

    MethodOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Every option as given. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The option's text, or {@code defaultValue} when it is not given. */
    public String text(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public double number(String key, double defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new SelectionProblemException(key, "option " + key + " must be a number, got '" + v + "'");
        }
    }

    public int integer(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SelectionProblemException(key, "option " + key + " must be an integer, got '" + v + "'");
        }
    }
}
