package io.rankforge.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ArrowExportTest {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("n", DataTypes.IntegerType)
            .add("big", DataTypes.LongType)
            .add("acc", DataTypes.DoubleType)
            .add("ok", DataTypes.BooleanType)
            .add("ranks", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("names", DataTypes.createArrayType(DataTypes.StringType));

    @Test
    void roundTripsEveryColumnTypeAcrossBatchesWithoutLeaking() throws Exception {
        List<Row> rows = new ArrayList<>();
        int n = ArrowExport.BATCH + 17; // two record batches
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(
                    "t" + i,
                    i,
                    (long) i << 33,
                    i / 7.0,
                    i % 2 == 0,
                    i % 5 == 0 ? null : List.of(i, i + 1, i + 2),
                    List.of("conv" + i, "fc")));
        }
        rows.set(3, RowFactory.create("t3", null, null, null, null, List.of(), List.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long peak = ArrowExport.write(out, SCHEMA, rows);
        assertTrue(peak > 0, "buffers were allocated (and released: write checks the allocator is empty)");

        int seen = 0;
        try (BufferAllocator allocator = new RootAllocator();
                ArrowFileReader reader = new ArrowFileReader(
                        new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(out.toByteArray())),
                        allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(2, reader.getRecordBlocks().size());
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++, seen++) {
                    Row expected = rows.get(seen);
                    assertEquals(
                            expected.getString(0),
                            root.getVector("id").getObject(r).toString());
                    if (seen == 3) {
                        assertNull(root.getVector("n").getObject(r));
                        assertNull(root.getVector("acc").getObject(r));
                        assertEquals(List.of(), ((ListVector) root.getVector("ranks")).getObject(r));
                        continue;
                    }
                    assertEquals(expected.getInt(1), root.getVector("n").getObject(r));
                    assertEquals(expected.getLong(2), root.getVector("big").getObject(r));
                    assertEquals(expected.getDouble(3), root.getVector("acc").getObject(r));
                    assertEquals(expected.getBoolean(4), root.getVector("ok").getObject(r));
                    Object ranks = ((ListVector) root.getVector("ranks")).getObject(r);
                    if (expected.isNullAt(5)) {
                        assertNull(ranks);
                    } else {
                        assertEquals(ArrowExport.listAt(expected, 5), ranks);
                    }
                    List<?> names = ((ListVector) root.getVector("names")).getObject(r);
                    assertEquals(
                            ArrowExport.listAt(expected, 6),
                            names.stream().map(Object::toString).toList());
                }
            }
        }
        assertEquals(n, seen);
    }

    @Test
    void emptyTableStillHasItsSchema() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArrowExport.write(out, SCHEMA, List.of());
        try (BufferAllocator allocator = new RootAllocator();
                ArrowFileReader reader = new ArrowFileReader(
                        new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(out.toByteArray())),
                        allocator)) {
            assertEquals(7, reader.getVectorSchemaRoot().getSchema().getFields().size());
        }
    }
}
