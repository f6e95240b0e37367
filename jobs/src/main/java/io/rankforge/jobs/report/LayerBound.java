package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/** A compressible layer's searched rank range: the report plots chosen ranks against r_max. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LayerBound(String name, String scheme, int rMax, int fullRank) {
    public LayerBound {
        Objects.requireNonNull(name, "name");
        if (rMax < 1 || fullRank < rMax) {
            throw new IllegalArgumentException(
                    "layer " + name + ": need 1 <= r_max <= full rank, got " + rMax + ", " + fullRank);
        }
    }
}
