package io.rankforge.jobs.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankforge.jobs.store.SchemaAssertions;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The sensitivity table's row builder sets every field of its schema. */
class SensitivityRowsTest {
    @Test
    void everyFieldIsSet() {
        SensitivityJob.Sample s = new SensitivityJob.Sample("m", "d1", "conv1", 0, 4, 0.5, 8, Map.of("conv1", 4));
        Row r = SensitivityJob.row(new SensitivityJob.Measured(s, 0.8, 400, 1.5, "host"), 0.9);
        SchemaAssertions.assertEveryFieldSet(SensitivityJob.SCHEMA, List.of(r));
        assertEquals(0.8 / 0.9, r.getDouble(SensitivityJob.SCHEMA.fieldIndex("y_m")), 1e-15);
    }
}
