package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What the sweep of this run did: trials in the table, run now, found stored, failed. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SweepCounts(long trialsTotal, long trialsRun, long trialsSkipped, long trialsFailed, double seconds) {
    public SweepCounts {
        if (trialsTotal < 0 || trialsRun < 0 || trialsSkipped < 0 || trialsFailed < 0) {
            throw new IllegalArgumentException("trial counts must be >= 0");
        }
    }
}
