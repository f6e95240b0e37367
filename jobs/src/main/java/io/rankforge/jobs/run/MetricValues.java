package io.rankforge.jobs.run;

import io.rankforge.MetricKind;
import io.rankforge.metric.MetricTables;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every metric a profile can compute for a configuration, keyed by metric id (the metric_* columns). */
public final class MetricValues {
    private MetricValues() {}

    public static Map<String, Double> of(MetricTables tables, int[] ranks) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (MetricKind k : MetricKind.values()) {
            if (tables.available(k)) {
                m.put(k.id(), tables.value(k, ranks));
            }
        }
        return m;
    }
}
