package io.rankforge.jobs.report;

import java.util.Objects;

/**
 * An iso-cost stratum of the sweep: configurations sampled with a FLOPs ratio over the compressible layers in the
 * window [low, high], high being the stratum's target.
 */
public record Stratum(String label, double low, double high) {
    public Stratum {
        Objects.requireNonNull(label, "label");
        if (!(low >= 0 && low < high && high <= 1)) {
            throw new IllegalArgumentException(
                    "stratum " + label + " must satisfy 0 <= low < high <= 1, got [" + low + ", " + high + "]");
        }
    }

    /** The stratum's cost target. */
    public double target() {
        return high;
    }
}
