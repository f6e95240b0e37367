package io.rankforge.jobs.report;

import java.util.Objects;

/**
 * A budget band of the sweep: configurations whose FLOPs ratio over the compressible layers lies in
 * [low, high].
 */
public record Band(String label, double low, double high) {
    public Band {
        Objects.requireNonNull(label, "label");
        if (!(low >= 0 && low < high && high <= 1)) {
            throw new IllegalArgumentException(
                    "band " + label + " must satisfy 0 <= low < high <= 1, got [" + low + ", " + high + "]");
        }
    }

    /** A band named after its bounds in percent, e.g. 20-30%. */
    public static Band ofFractions(double low, double high) {
        return new Band(Math.round(low * 100) + "-" + Math.round(high * 100) + "%", low, high);
    }

    public boolean contains(double ratio) {
        return ratio >= low - 1e-12 && ratio <= high + 1e-12;
    }
}
