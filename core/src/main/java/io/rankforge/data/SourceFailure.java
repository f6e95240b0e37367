package io.rankforge.data;

/** Why one source of a dataset failed; becomes part of {@link DatasetFetcher}'s final message. */
final class SourceFailure extends Exception {
    SourceFailure(String message) {
        super(message);
    }

    /** An exception as "Type: message" for a failure's text. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
    }
}
