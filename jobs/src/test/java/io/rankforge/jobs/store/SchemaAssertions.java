package io.rankforge.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks shared by the per-table row tests: rows fit their schema and their builders set every field. */
public final class SchemaAssertions {
    private SchemaAssertions() {}

    /**
     * Every row has the schema's width, no non-nullable field is null, and every field of the schema holds a value
     * in at least one of the rows: a field the builders never fill (always null) fails, naming it.
     */
    public static void assertEveryFieldSet(StructType schema, List<Row> rows) {
        assertTrue(!rows.isEmpty(), "no rows to check");
        StructField[] fields = schema.fields();
        List<String> neverSet = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            boolean any = false;
            for (Row r : rows) {
                assertEquals(fields.length, r.length(), "row width of " + schema.simpleString());
                if (!r.isNullAt(i)) {
                    any = true;
                } else {
                    assertTrue(fields[i].nullable(), "non-nullable field '" + fields[i].name() + "' is null in " + r);
                }
            }
            if (!any) {
                neverSet.add(fields[i].name());
            }
        }
        assertEquals(List.of(), neverSet, "schema fields no row builder sets");
    }
}
