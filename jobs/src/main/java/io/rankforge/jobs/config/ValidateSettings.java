package io.rankforge.jobs.config;

import io.rankforge.config.Settings;

/**
 * How the validation study computes its statistics.
 *
 * @param bootstrapSamples resamples for the intervals
 * @param confidence       interval level, e.g. 0.95 (printed with every interval)
 * @param topFraction      top-k precision's k as a fraction of a stratum's samples, e.g. 0.10
 * @param minSamples       a stratum with fewer samples shows "too few" instead of statistics
 */
public record ValidateSettings(int bootstrapSamples, double confidence, double topFraction, int minSamples) {
    public ValidateSettings {
        if (bootstrapSamples < 10) {
            throw new IllegalArgumentException("bootstrapSamples must be >= 10");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1)");
        }
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new IllegalArgumentException("topFraction must be in (0, 1]");
        }
        if (minSamples < 3) {
            throw new IllegalArgumentException("minSamples must be >= 3");
        }
    }

    static ValidateSettings from(Settings s) {
        double c = s.number("rankforge.validate.confidence", 0, 1);
        if (!(c > 0 && c < 1)) {
            throw s.invalid("rankforge.validate.confidence", "must be strictly between 0 and 1, e.g. 0.95");
        }
        double top = s.number("rankforge.validate.top-fraction", 0, 1);
        if (!(top > 0)) {
            throw s.invalid("rankforge.validate.top-fraction", "must be in (0, 1], e.g. 0.1");
        }
        return new ValidateSettings(
                s.integer("rankforge.validate.bootstrap-samples", 10, 1_000_000),
                c,
                top,
                s.integer("rankforge.validate.min-samples", 3, 1_000_000));
    }
}
