package io.rankforge.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The by-name row builder refuses incomplete, unknown, doubled and null-where-forbidden fields. */
class NamedRowsTest {
    static final StructType SCHEMA = new StructType()
            .add("a", DataTypes.StringType, false)
            .add("b", DataTypes.DoubleType, true)
            .add("c", DataTypes.IntegerType, false);

    @Test
    void aCompleteRowIsInSchemaOrderWhateverTheOrderOfSetting() {
        Row r = NamedRows.builder(SCHEMA)
                .set("c", 3)
                .set("a", "x")
                .set("b", null)
                .build();
        assertEquals("x", r.getString(0));
        assertNull(r.get(1));
        assertEquals(3, r.getInt(2));
    }

    @Test
    void aFieldNotSetFailsNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> NamedRows.builder(SCHEMA).set("a", "x").build());
        assertEquals("fields not set: b, c", e.getMessage());
    }

    @Test
    void unknownDoubledAndNullFieldsFail() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> NamedRows.builder(SCHEMA).set("d", 1))
                .getMessage()
                .contains("no field 'd'"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> NamedRows.builder(SCHEMA).set("a", "x").set("a", "y"))
                .getMessage()
                .contains("set twice"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> NamedRows.builder(SCHEMA)
                                .set("a", null)
                                .set("b", 1.0)
                                .set("c", 1)
                                .build())
                .getMessage()
                .contains("'a' is not nullable"));
    }
}
