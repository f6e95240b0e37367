package io.rankforge.jobs.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Rows built by field name, not by position: a value for a name the schema lacks, or a missing value for a
 * non-nullable field, fails at once instead of shifting every later column.
 */
public final class NamedRows {
    private NamedRows() {}

    /** A row of {@code schema} from name → value; names not given are null. NaN doubles become null. */
    public static Row of(StructType schema, Map<String, ?> values) {
        for (String name : values.keySet()) {
            if (schema.getFieldIndex(name).isEmpty()) {
                throw new IllegalArgumentException("no field '" + name + "' in the schema " + schema.simpleString());
            }
        }
        StructField[] fields = schema.fields();
        Object[] v = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object o = values.get(fields[i].name());
            if (o instanceof Double d && !Double.isFinite(d)) {
                o = null;
            }
            if (o == null && !fields[i].nullable()) {
                throw new IllegalArgumentException("field '" + fields[i].name() + "' is not nullable but has no value");
            }
            v[i] = o;
        }
        return RowFactory.create(v);
    }

    /**
     * A builder of one complete row of {@code schema}: every field must be {@link Builder#set set} (to null
     * explicitly where a nullable field has no value), so a field added to a schema and forgotten by a row builder
     * fails at the first row instead of leaving a hole or shifting columns. Values are stored as given.
     */
    public static Builder builder(StructType schema) {
        return new Builder(schema);
    }

    /** See {@link #builder}. */
    public static final class Builder {
        private final StructType schema;
        private final Object[] values;
        private final boolean[] set;

        private Builder(StructType schema) {
            this.schema = schema;
            this.values = new Object[schema.fields().length];
            this.set = new boolean[values.length];
        }

        /** Sets field {@code name}; an unknown name, or a name set twice, fails at once. */
        public Builder set(String name, Object value) {
            scala.Option<Object> index = schema.getFieldIndex(name);
            if (index.isEmpty()) {
                throw new IllegalArgumentException("no field '" + name + "' in the schema " + schema.simpleString());
            }
            int i = (Integer) index.get();
            if (set[i]) {
                throw new IllegalArgumentException("field '" + name + "' is set twice");
            }
            values[i] = value;
            set[i] = true;
            return this;
        }

        /** The row; fails naming every field not set, and any non-nullable field set to null. */
        public Row build() {
            StructField[] fields = schema.fields();
            List<String> missing = new java.util.ArrayList<>();
            for (int i = 0; i < fields.length; i++) {
                if (!set[i]) {
                    missing.add(fields[i].name());
                } else if (values[i] == null && !fields[i].nullable()) {
                    throw new IllegalArgumentException("field '" + fields[i].name() + "' is not nullable but is null");
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("fields not set: " + String.join(", ", missing));
            }
            return RowFactory.create(values.clone());
        }
    }

    /**
     * A configuration stored as parallel {@code layers} and {@code ranks} columns (trials, selections) as layer →
     * rank, in column order; empty when either is null (a method that found nothing).
     */
    public static Map<String, Integer> layerRanks(Row r) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (r.isNullAt(r.fieldIndex("layers")) || r.isNullAt(r.fieldIndex("ranks"))) {
            return out;
        }
        List<String> layers = r.getList(r.fieldIndex("layers"));
        List<Integer> ranks = r.getList(r.fieldIndex("ranks"));
        for (int i = 0; i < layers.size(); i++) {
            out.put(layers.get(i), ranks.get(i));
        }
        return out;
    }
}
