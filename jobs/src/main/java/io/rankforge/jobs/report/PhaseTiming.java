package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Wall time of one quickstart phase, the CPU time this JVM spent in it (all threads: Spark's local
 * executors run in it; on a busy machine wall time grows, CPU time does not), and whether the phase
 * reused stored results instead of computing them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PhaseTiming(String phase, double seconds, double cpuSeconds, boolean reused) {
    public PhaseTiming {
        Objects.requireNonNull(phase, "phase");
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds of phase " + phase + " must be >= 0");
        }
    }
}
