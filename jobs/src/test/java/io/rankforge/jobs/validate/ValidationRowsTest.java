package io.rankforge.jobs.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankforge.jobs.store.SchemaAssertions;
import io.rankforge.validation.MetricAgreement;
import io.rankforge.validation.MetricComparison;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The validation table's rows (metric, comparison and pick kinds together) set every field of its schema. */
class ValidationRowsTest {
    @Test
    void everyFieldIsSetByOneOfTheKinds() {
        MetricAgreement m =
                new MetricAgreement("measured", 20, 0.5, 0.2, 0.7, 0.4, 0.1, 0.6, 0.7, 0.3, 0.01, 0.0, 0.02);
        StratumValidation s =
                new StratumValidation("m", "d1", "50%", 0.5, 0.495, 0.5, "accuracy", 20, false, List.of(m));
        ComparisonValidation c = new ComparisonValidation(
                "m", "d1", "50%", 0.5, "accuracy", new MetricComparison("measured", "pca", 0.1, -0.2, 0.4));
        PickValidation p = new PickValidation(
                "m",
                "d1",
                "enc-map",
                0.5,
                "measured",
                "50%",
                0.499,
                0.8,
                0.82,
                60.0,
                55.0,
                0.01,
                0.02,
                20,
                "t1",
                0.003,
                0.6,
                Map.of("conv1", 3));
        List<Row> rows = new ValidateJob.Result(List.of(s), List.of(c), List.of(p), 0.95, 1.0).rows();
        assertEquals(3, rows.size());
        SchemaAssertions.assertEveryFieldSet(ValidateJob.SCHEMA, rows);
    }
}
