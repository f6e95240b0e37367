package io.rankforge.jobs.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.rankforge.jobs.store.ResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * The sweep's resume state: every batch of finished trials is one Parquet file under
 * OUT/_journal/&lt;table&gt;/, committed atomically (written in a hidden folder, then its one data file is
 * renamed into the journal). A driver killed at any moment leaves whole batches only; a trial is
 * in the journal or it is not. Reading dedupes by trial id (an ok row wins over a failed one, then
 * the newest), so the table built from it holds every trial exactly once whatever was retried.
 */
public final class TrialJournal {
    private final SparkSession spark;
    private final ResultStore store;
    private final Path dir;
    private final StructType schema;

    public TrialJournal(SparkSession spark, ResultStore store, String table, StructType schema) {
        this.spark = spark;
        this.store = store;
        this.dir = store.path("_journal/" + table);
        this.schema = schema;
    }

    public Path dir() {
        return dir;
    }

    /** Removes what a killed driver left half-written (hidden temp folders); committed batches stay. */
    public void cleanUp() {
        try {
            if (!store.fs().exists(dir)) {
                return;
            }
            for (FileStatus st : store.fs().listStatus(dir)) {
                if (st.getPath().getName().startsWith(".tmp-")) {
                    store.fs().delete(st.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Commits one batch of rows (one Parquet file); returns its path. */
    public Path commit(List<Row> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        String id = UUID.randomUUID().toString();
        Path tmp = new Path(dir, ".tmp-" + id);
        Path target = new Path(dir, "batch-" + System.currentTimeMillis() + "-" + id + ".parquet");
        try {
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(tmp.toString());
            FileStatus[] parts = store.fs()
                    .listStatus(
                            tmp,
                            p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
            if (parts.length != 1) {
                throw new IOException("expected one data file in " + tmp + ", found " + parts.length);
            }
            if (!store.fs().rename(parts[0].getPath(), target)) {
                throw new IOException("cannot rename " + parts[0].getPath() + " to " + target);
            }
            store.fs().delete(tmp, true);
            return target;
        } catch (IOException e) {
            store.delete(tmp);
            throw new UncheckedIOException(
                    "cannot commit a batch of " + rows.size() + " trials to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Committed batch files, oldest first. */
    public List<Path> batches() {
        return store.list(dir, "batch-", ".parquet");
    }

    /** Every committed row, deduplicated by trial id (ok before failed, then newest). */
    public Dataset<Row> rows() {
        List<Path> files = batches();
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), schema);
        }
        String[] paths = files.stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> all = spark.read().schema(schema).parquet(paths);
        var w = Window.partitionBy("trial_id")
                .orderBy(
                        when(col("status").equalTo("ok"), 0).otherwise(1),
                        col("finished_at").desc());
        return all.withColumn("_rn", row_number().over(w))
                .where(col("_rn").equalTo(1))
                .drop("_rn");
    }

    /** trial id → status ("ok" or "failed") of every committed trial. */
    public Map<String, String> statuses() {
        Map<String, String> out = new HashMap<>();
        for (Row r : rows().select("trial_id", "status").collectAsList()) {
            out.put(r.getString(0), r.getString(1));
        }
        return out;
    }
}
