package io.rankforge.jobs.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes and reads the result tables. A table is replaced as a whole: it is written beside its
 * folder, gets its {@code _rankforge.json}, and is then renamed into place (on a store without atomic
 * rename, moved file by file with {@code _SUCCESS} last: {@link ResultStore#replace}), so a reader never
 * sees a half-written table.
 */
public final class Tables {
    public static final String PROFILES = "profiles";
    public static final String SENSITIVITY = "sensitivity";
    public static final String SELECTIONS = "selections";
    public static final String CANDIDATES = "candidates";
    public static final String TRIALS = "trials";
    public static final String VALIDATION = "validation";
    public static final String RECORD_FILE = "_rankforge.json";

    private Tables() {}

    /** Replaces table {@code name} with {@code rows} (schema given) and stores the run record with it. */
    public static void replace(
            SparkSession spark,
            ResultStore store,
            String name,
            StructType schema,
            List<Row> rows,
            RunRecord record,
            JsonNode summary) {
        replace(store, name, spark.createDataFrame(rows, schema), record, summary);
    }

    /** Replaces table {@code name} with a DataFrame (written as one file: these tables are small). */
    public static void replace(ResultStore store, String name, Dataset<Row> data, RunRecord record, JsonNode summary) {
        removeLeftovers(store, name);
        Path tmp = store.path("." + name + ".tmp-" + UUID.randomUUID());
        try {
            data.coalesce(1).write().parquet(tmp.toString());
            store.writeText(new Path(tmp, RECORD_FILE), Json.pretty(record.toJson(summary)));
            FaultPoints.reach("table-rebuild"); // written beside the folder, not yet in place
            store.replace(tmp, store.table(name));
        } catch (IOException e) {
            store.delete(tmp);
            throw new UncheckedIOException("cannot write table " + name + " under " + store + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.delete(tmp);
            throw e;
        }
        logRun(store, record, summary);
    }

    /**
     * Deletes what a run killed while replacing table {@code name} left beside it: its hidden temporary
     * folder ({@code .name.tmp-*}) and the old table moved aside ({@code .name.old-*}). Safe because the job
     * holds the output folder's lock: no other run is writing them.
     */
    static void removeLeftovers(ResultStore store, String name) {
        for (String kind : new String[] {".tmp-", ".old-"}) {
            for (Path p : store.list(store.root(), "." + name + kind, "")) {
                store.delete(p);
            }
        }
    }

    /** Appends the run record under OUT/_runs/ (one file per run). */
    public static void logRun(ResultStore store, RunRecord record, JsonNode summary) {
        String stamp = Instant.now().toString().replace(':', '-');
        store.writeText(
                store.path("_runs/" + record.job() + "-" + stamp + "-"
                        + UUID.randomUUID().toString().substring(0, 8) + ".json"),
                Json.pretty(record.toJson(summary)));
    }

    /** Reads a table; a clear error when a job it depends on has not run. */
    public static Dataset<Row> read(SparkSession spark, ResultStore store, String name, String producedBy) {
        if (!store.hasTable(name)) {
            throw new io.rankforge.UserInputException("table " + name + " is missing under " + store
                    + "; run `rankforge " + producedBy + "` with the same configuration first");
        }
        return spark.read().parquet(store.tableUri(name));
    }

    /** The run record stored with a table, or null when the table is missing. */
    public static JsonNode record(ResultStore store, String name) {
        Path p = new Path(store.table(name), RECORD_FILE);
        return store.exists(p) ? Json.parse(store.readText(p), p.toString()) : null;
    }
}
