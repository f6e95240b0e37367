package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.List;

/** @param fractions sample ranks as fractions of r_max, ascending, in (0, 1] */
public record SensitivitySettings(List<Double> fractions) {
    public SensitivitySettings {
        fractions = List.copyOf(fractions);
        if (fractions.isEmpty()) {
            throw new IllegalArgumentException("fractions must not be empty");
        }
    }

    static SensitivitySettings from(Settings s) {
        String key = "rankforge.sensitivity.fractions";
        List<Double> f = s.numbers(key, 0, 1);
        if (f.isEmpty()) {
            throw s.invalid(key, "needs at least one fraction of r_max, e.g. [0.1, 0.2, 0.4, 1.0]");
        }
        for (int i = 0; i < f.size(); i++) {
            if (!(f.get(i) > 0)) {
                throw s.invalid(key, "fractions must be > 0, got " + f.get(i));
            }
            if (i > 0 && !(f.get(i) > f.get(i - 1))) {
                throw s.invalid(key, "fractions must be strictly increasing");
            }
        }
        return new SensitivitySettings(f);
    }
}
