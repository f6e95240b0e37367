package io.rankforge.data;

import java.util.Objects;

/** One source the fetcher tried, whether it supplied the dataset, and if not, why not. */
public record SourceAttempt(String source, boolean succeeded, String detail) {
    public SourceAttempt {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
    }

    public static SourceAttempt success(String source, String detail) {
        return new SourceAttempt(source, true, detail);
    }

    public static SourceAttempt failure(String source, String why) {
        return new SourceAttempt(source, false, why);
    }
}
