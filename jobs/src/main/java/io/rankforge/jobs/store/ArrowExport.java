package io.rankforge.jobs.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a result table as an Arrow IPC file (the "file" format: pyarrow.ipc.open_file,
 * pandas via pyarrow.feather.read_table) for notebooks. Supports the column types the tables use:
 * string, int, long, double, boolean, and arrays of int, double or string; all nullable.
 *
 * <p>Every Arrow buffer is owned by try-with-resources; before the allocator closes, its allocated
 * memory must be zero, and a leak is an error rather than a warning.
 */
public final class ArrowExport {
    /** Rows per record batch. */
    static final int BATCH = 4096;

    private ArrowExport() {}

    /** Writes {@code rows} (of {@code schema}) to {@code target} atomically (temp file, then rename). */
    public static void write(ResultStore store, Path target, StructType schema, List<Row> rows) {
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            store.fs().mkdirs(target.getParent());
            try (FSDataOutputStream out = store.fs().create(tmp, true)) {
                write(out, schema, rows);
            }
            store.replace(tmp, target);
        } catch (IOException e) {
            store.delete(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.delete(tmp);
            throw e;
        }
    }

    /** Writes the rows to a stream; returns the peak bytes the allocator held (for tests). */
    public static long write(java.io.OutputStream out, StructType schema, List<Row> rows) throws IOException {
        Schema arrowSchema = toArrow(schema);
        long peak;
        try (BufferAllocator allocator = new RootAllocator()) {
            try (VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema, allocator);
                    ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
                writer.start();
                for (int from = 0; from < rows.size() || (from == 0 && rows.isEmpty()); from += BATCH) {
                    int to = Math.min(rows.size(), from + BATCH);
                    fill(root, schema, rows.subList(from, to));
                    writer.writeBatch();
                    if (rows.isEmpty()) {
                        break;
                    }
                }
                writer.end();
            }
            peak = allocator.getPeakMemoryAllocation();
            long left = allocator.getAllocatedMemory();
            if (left != 0) {
                throw new IllegalStateException("Arrow export leaked " + left + " bytes");
            }
        }
        return peak;
    }

    static Schema toArrow(StructType schema) {
        List<Field> fields = new ArrayList<>();
        for (StructField f : schema.fields()) {
            fields.add(field(f.name(), f.dataType()));
        }
        return new Schema(fields);
    }

    private static Field field(String name, DataType t) {
        if (t instanceof ArrayType a) {
            Field element = field("element", a.elementType());
            return new Field(name, FieldType.nullable(new ArrowType.List()), List.of(element));
        }
        return new Field(name, FieldType.nullable(scalar(name, t)), null);
    }

    private static ArrowType scalar(String name, DataType t) {
        if (t.equals(DataTypes.StringType)) {
            return new ArrowType.Utf8();
        }
        if (t.equals(DataTypes.IntegerType)) {
            return new ArrowType.Int(32, true);
        }
        if (t.equals(DataTypes.LongType)) {
            return new ArrowType.Int(64, true);
        }
        if (t.equals(DataTypes.DoubleType)) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        }
        if (t.equals(DataTypes.BooleanType)) {
            return new ArrowType.Bool();
        }
        throw new IllegalArgumentException("column " + name + ": type " + t + " has no Arrow export");
    }

    private static void fill(VectorSchemaRoot root, StructType schema, List<Row> rows) {
        root.allocateNew();
        StructField[] fields = schema.fields();
        for (int c = 0; c < fields.length; c++) {
            FieldVector v = root.getVector(c);
            DataType t = fields[c].dataType();
            if (t instanceof ArrayType a) {
                fillList((ListVector) v, a.elementType(), rows, c);
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.isNullAt(c)) {
                    setNull(v, i);
                } else if (v instanceof VarCharVector s) {
                    s.setSafe(i, r.getString(c).getBytes(StandardCharsets.UTF_8));
                } else if (v instanceof IntVector iv) {
                    iv.setSafe(i, r.getInt(c));
                } else if (v instanceof BigIntVector bv) {
                    bv.setSafe(i, r.getLong(c));
                } else if (v instanceof Float8Vector fv) {
                    fv.setSafe(i, r.getDouble(c));
                } else if (v instanceof BitVector b) {
                    b.setSafe(i, r.getBoolean(c) ? 1 : 0);
                }
            }
            v.setValueCount(rows.size());
        }
        root.setRowCount(rows.size());
    }

    /** An array cell as a Java list: Spark's collected rows hold Scala sequences, rows built in Java hold lists. */
    static List<?> listAt(Row r, int c) {
        Object v = r.get(c);
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof scala.collection.Seq<?> s) {
            return scala.jdk.javaapi.CollectionConverters.asJava(s);
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
        if (v instanceof double[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
        throw new IllegalArgumentException(
                "column " + c + " holds " + v.getClass().getName() + ", not an array");
    }

    private static void setNull(FieldVector v, int i) {
        if (v instanceof VarCharVector s) {
            s.setNull(i);
        } else if (v instanceof IntVector iv) {
            iv.setNull(i);
        } else if (v instanceof BigIntVector bv) {
            bv.setNull(i);
        } else if (v instanceof Float8Vector fv) {
            fv.setNull(i);
        } else if (v instanceof BitVector b) {
            b.setNull(i);
        }
    }

    private static void fillList(ListVector v, DataType element, List<Row> rows, int c) {
        UnionListWriter w = v.getWriter();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            w.setPosition(i);
            if (r.isNullAt(c)) {
                continue; // validity stays 0: a null list
            }
            List<?> items = listAt(r, c);
            w.startList();
            for (Object o : items) {
                if (o == null) {
                    throw new IllegalArgumentException("column " + c + " holds a null array element");
                }
                if (element.equals(DataTypes.IntegerType)) {
                    w.integer().writeInt((Integer) o);
                } else if (element.equals(DataTypes.DoubleType)) {
                    w.float8().writeFloat8((Double) o);
                } else if (element.equals(DataTypes.StringType)) {
                    w.varChar().writeVarChar((String) o);
                } else {
                    throw new IllegalArgumentException("array element type " + element + " has no Arrow export");
                }
            }
            w.endList();
        }
        w.setValueCount(rows.size());
    }
}
