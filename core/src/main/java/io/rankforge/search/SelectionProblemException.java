package io.rankforge.search;

import io.rankforge.UserInputException;
import java.util.Objects;

/**
 * A selection problem that is malformed: a setting out of range, a metric the profile cannot supply, a method
 * option that does not parse, a method that does not apply to the problem. It names the offending
 * {@link #field()} (a {@link SelectionProblem} setting such as {@code targetFlops}, or a method option key such
 * as {@code enc-model.delta}), so a front end can say which of its own inputs to change.
 */
public class SelectionProblemException extends UserInputException {
    private final String field;

    public SelectionProblemException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The setting or option the message is about. */
    public String field() {
        return field;
    }
}
