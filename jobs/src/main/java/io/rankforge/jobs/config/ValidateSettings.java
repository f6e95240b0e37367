package io.rankforge.jobs.config;

import io.rankforge.config.Settings;

/**
 * @param bootstrapSamples resamples for the intervals
 * @param confidence       interval level, e.g. 0.95
 */
public record ValidateSettings(int bootstrapSamples, double confidence) {
    public ValidateSettings {
        if (bootstrapSamples < 10) {
            throw new IllegalArgumentException("bootstrapSamples must be >= 10");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1)");
        }
    }

    static ValidateSettings from(Settings s) {
        double c = s.number("rankforge.validate.confidence", 0, 1);
        if (!(c > 0 && c < 1)) {
            throw s.invalid("rankforge.validate.confidence", "must be strictly between 0 and 1, e.g. 0.95");
        }
        return new ValidateSettings(s.integer("rankforge.validate.bootstrap-samples", 10, 1_000_000), c);
    }
}
