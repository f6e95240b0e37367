package io.rankforge.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The project's one JSON mapper: compact single-line output for --json, pretty for files. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** One line, no trailing newline. */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(what, e);
        }
    }

    /** Like {@link #parse}, and a key that appears twice in one object is an error (not "the last one wins"). */
    public static JsonNode parseStrict(String text, String what) {
        try {
            return MAPPER.reader()
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(what, e);
        }
    }

    private static io.rankforge.UserInputException invalid(String what, JsonProcessingException e) {
        // the parser quotes the offending token, which a hostile file can make megabytes long
        String why =
                e.getOriginalMessage() == null ? "" : e.getOriginalMessage().replaceAll("\\s+", " ");
        if (why.length() > 200) {
            why = why.substring(0, 197) + "...";
        }
        return new io.rankforge.UserInputException(what + " is not valid JSON: " + why);
    }
}
