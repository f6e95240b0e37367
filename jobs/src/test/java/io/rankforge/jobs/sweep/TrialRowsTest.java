package io.rankforge.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankforge.jobs.config.FineTuneSettings;
import io.rankforge.jobs.store.SchemaAssertions;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The trials table's row builder sets every field of its schema (an ok and a failed trial together). */
class TrialRowsTest {
    @Test
    void everyFieldIsSet() {
        TrialSpec spec = new TrialSpec(
                "t1",
                "m",
                "d1",
                List.of("conv1", "fc1"),
                new int[] {3, 4},
                "20-30%",
                0.2,
                0.3,
                "random",
                List.of("enc-map@0.25"),
                0.25,
                0.3,
                0.4,
                Map.of("pca", 0.5, "measured", 0.6, "combined", 0.7, "frobenius", 0.8, "nuclear", 0.9),
                FineTuneSettings.NONE,
                7L);
        Row ok = TrialRows.toRow(new TrialResult(
                spec,
                true,
                null,
                0.8,
                0.85,
                0.3,
                1.0,
                "h",
                1L,
                new TrialCost(0.1, 0.05, 0.3, 0.4, 0.1, "onednn-avx2")));
        Row failed = TrialRows.toRow(
                TrialResult.failed(spec, new IllegalStateException("x"), 1.0, "h", TrialCost.unmeasured("plain")));
        SchemaAssertions.assertEveryFieldSet(TrialRows.SCHEMA, List.of(ok, failed));
        assertEquals("failed", failed.get(TrialRows.SCHEMA.fieldIndex("status")));
        assertEquals(0.8, ok.getDouble(TrialRows.SCHEMA.fieldIndex("accuracy")), 0);
    }
}
