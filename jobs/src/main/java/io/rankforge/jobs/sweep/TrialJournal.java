package io.rankforge.jobs.sweep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.rankforge.jobs.store.BatchManifest;
import io.rankforge.jobs.store.FaultPoints;
import io.rankforge.jobs.store.ResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * The sweep's resume state: every batch of finished trials is committed to OUT/_journal/&lt;table&gt;/ in two
 * steps, neither of them a rename, so that it holds on any Hadoop filesystem (docs/storage.md):
 *
 * <ol>
 *   <li>the rows are written as Parquet into a folder of their own, {@code data-<attempt>/}, named by a fresh
 *       id for every attempt (write-once: nothing else ever writes there);
 *   <li>a small manifest, {@code batch-<time>-<attempt>.manifest.json}, lists the folder's data files with
 *       their lengths and the row count; it is written last, in one create without overwrite.
 * </ol>
 *
 * <p>Readers trust only what a complete manifest lists: a data folder without a manifest (a driver killed
 * while committing) or a manifest that does not parse (killed while writing it) is no batch, and the next
 * writer (holding the output folder's lock) removes both. A trial is therefore in the journal or it is
 * not, and a retried batch gets a new attempt id instead of overwriting anything. Reading dedupes by trial
 * id (an ok row wins over a failed one, then the newest), so the table built from it holds every trial
 * exactly once whatever was retried. Batch files committed by earlier versions (one
 * {@code batch-*.parquet} each, renamed into place) are still read.
 */
public final class TrialJournal {
    static final String MANIFEST_SUFFIX = BatchManifest.SUFFIX;
    static final String DATA_PREFIX = "data-";

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

    /**
     * Removes what a killed driver left: hidden temp folders of earlier versions, data folders no manifest
     * lists and manifests that do not parse. Committed batches stay. Only the holder of the output folder's
     * lock may call it: another writer's batch is uncommitted while it is being written.
     */
    public void cleanUp() {
        try {
            if (!store.fs().exists(dir)) {
                return;
            }
            Set<String> listed = new HashSet<>();
            for (FileStatus st : store.fs().listStatus(dir)) {
                String name = st.getPath().getName();
                if (name.endsWith(MANIFEST_SUFFIX)) {
                    BatchManifest m = BatchManifest.read(store, st.getPath());
                    if (m == null) {
                        store.fs().delete(st.getPath(), false);
                    } else {
                        listed.add(m.folder());
                    }
                }
            }
            for (FileStatus st : store.fs().listStatus(dir)) {
                String name = st.getPath().getName();
                if (name.startsWith(".tmp-") || (name.startsWith(DATA_PREFIX) && !listed.contains(name))) {
                    store.fs().delete(st.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Commits one batch of rows (data folder, then its manifest); returns the manifest's path. */
    public Path commit(List<Row> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        String attempt = UUID.randomUUID().toString();
        String folder = DATA_PREFIX + attempt;
        Path data = new Path(dir, folder);
        Path manifest = new Path(dir, "batch-" + System.currentTimeMillis() + "-" + attempt + MANIFEST_SUFFIX);
        try {
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(data.toString());
            FileStatus[] parts = store.fs()
                    .listStatus(
                            data,
                            p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
            if (parts.length != 1) {
                throw new IOException("expected one data file in " + data + ", found " + parts.length);
            }
            FaultPoints.reach("journal-commit"); // the data written, its manifest not yet
            new BatchManifest(folder, List.of(parts[0].getPath().getName()), List.of(parts[0].getLen()), rows.size())
                    .write(store, manifest);
            return manifest;
        } catch (IOException e) {
            store.delete(data);
            throw new UncheckedIOException(
                    "cannot commit a batch of " + rows.size() + " trials to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Committed batches (manifests, and batch files of earlier versions), oldest first. */
    public List<Path> batches() {
        List<Path> out = new ArrayList<>(store.list(dir, "batch-", MANIFEST_SUFFIX));
        out.addAll(store.list(dir, "batch-", ".parquet"));
        out.sort(Comparator.comparing(Path::getName));
        return out;
    }

    /** The data files of every committed batch: what complete manifests list, checked, and legacy files. */
    List<Path> committedFiles() {
        List<Path> files = new ArrayList<>();
        for (Path b : batches()) {
            if (!b.getName().endsWith(MANIFEST_SUFFIX)) {
                files.add(b);
                continue;
            }
            BatchManifest m = BatchManifest.read(store, b);
            if (m != null) {
                files.addAll(m.check(store, dir, b));
            }
        }
        return files;
    }

    /** Every committed row, deduplicated by trial id (ok before failed, then newest). */
    public Dataset<Row> rows() {
        List<Path> files = committedFiles();
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
