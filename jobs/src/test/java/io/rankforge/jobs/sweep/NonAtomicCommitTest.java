package io.rankforge.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.store.NonAtomicRenameFileSystem;
import io.rankforge.jobs.store.NonAtomicRenameFileSystem.InjectedCrash;
import io.rankforge.jobs.store.ResultStore;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit protocol on a filesystem whose rename is a copy and a delete (an object store's), with a
 * crash injected at every step of every rename a commit makes (Spark's own committer included): no trial
 * is lost, none is duplicated, and a reader at the moment of the crash sees whole batches only. Tables
 * replaced there are complete or missing, never half there.
 */
class NonAtomicCommitTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        NonAtomicRenameFileSystem.register(spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() {
        NonAtomicRenameFileSystem.crashAtStep(-1);
        spark.stop();
    }

    ResultStore store() {
        return ResultStore.open(
                NonAtomicRenameFileSystem.SCHEME + "://" + dir.resolve("out"),
                spark.sparkContext().hadoopConfiguration(),
                "test");
    }

    static List<Row> batch(int k) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(TrialRows.toRow(TrialJournalTest.ok(TrialJournalTest.spec(k + 1, i + 1), 0.5, k)));
        }
        return rows;
    }

    static Set<String> ids(List<Row> rows) {
        Set<String> s = new HashSet<>();
        rows.forEach(r -> s.add(r.getString(0)));
        return s;
    }

    @Test
    void theStoreKnowsWhichRenamesAreAtomic() {
        assertFalse(store().atomicRename(), "narfs renames by copy and delete");
        Configuration plain = new Configuration();
        assertTrue(
                ResultStore.open(dir.resolve("local").toString(), plain, "test").atomicRename());
        Configuration forced = new Configuration();
        forced.set(ResultStore.ATOMIC_RENAME_KEY, "false");
        assertFalse(ResultStore.open(dir.resolve("local").toString(), forced, "test")
                .atomicRename());
    }

    @Test
    void aCrashAtAnyStepOfACommitLosesNoTrialDuplicatesNoneAndIsNeverReadHalfDone() throws Exception {
        ResultStore store = store();
        // how many rename steps one commit takes (Spark's committer renames task and job output)
        NonAtomicRenameFileSystem.crashAtStep(-1);
        new TrialJournal(spark, store, "trials", TrialRows.SCHEMA).commit(batch(0));
        int steps = NonAtomicRenameFileSystem.steps();
        assertTrue(steps >= 2, "a commit renames at least one file: " + steps);

        Set<String> committed = new HashSet<>(ids(batch(0)));
        for (int crash = 1; crash <= steps; crash++) {
            List<Row> rows = batch(crash);
            NonAtomicRenameFileSystem.crashAtStep(crash);
            try {
                new TrialJournal(spark, store, "trials", TrialRows.SCHEMA).commit(rows);
                fail("the crash at step " + crash + " of " + steps + " was not reached");
            } catch (Exception e) { // Spark throws its checked SparkException unchecked
                assertTrue(causedByCrash(e), "crash at step " + crash + ": " + e);
            }
            NonAtomicRenameFileSystem.crashAtStep(-1);
            // a reader right after the crash: the crashed batch is not there, all earlier ones are, whole
            TrialJournal reader = new TrialJournal(spark, store, "trials", TrialRows.SCHEMA);
            assertEquals(committed, ids(reader.rows().collectAsList()), "crash at step " + crash);
            // the rerun: cleans up what the crash left, commits the batch again
            TrialJournal rerun = new TrialJournal(spark, store, "trials", TrialRows.SCHEMA);
            rerun.cleanUp();
            rerun.commit(rows);
            committed.addAll(ids(rows));
            List<Row> all = rerun.rows().collectAsList();
            assertEquals(committed, ids(all));
            assertEquals(committed.size(), all.size(), "each trial once");
        }
        // only committed batches and their data remain: the crashed attempts' folders were removed
        Path journal = dir.resolve("out/_journal/trials");
        try (Stream<Path> s = Files.list(journal)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            long manifests =
                    names.stream().filter(n -> n.endsWith(".manifest.json")).count();
            long data = names.stream().filter(n -> n.startsWith("data-")).count();
            assertEquals(steps + 1, manifests, names.toString());
            assertEquals(manifests, data, "one data folder per committed batch, none left by a crash: " + names);
        }
    }

    @Test
    void aManifestCutShortIsNoBatch() throws Exception {
        ResultStore store = store();
        TrialJournal j = new TrialJournal(spark, store, "trials", TrialRows.SCHEMA);
        org.apache.hadoop.fs.Path m = j.commit(batch(0));
        j.commit(batch(1));
        // a driver killed while writing the second manifest: half of it on the store
        Path second =
                dir.resolve("out/_journal/trials").resolve(j.batches().get(1).getName());
        String text = Files.readString(second);
        Files.writeString(second, text.substring(0, text.length() / 2));
        assertEquals(ids(batch(0)), ids(j.rows().collectAsList()), "the cut manifest's batch is not read");
        j.cleanUp();
        assertEquals(
                List.of(m.getName()), j.batches().stream().map(p -> p.getName()).toList());
        try (Stream<Path> s = Files.list(dir.resolve("out/_journal/trials"))) {
            assertEquals(
                    1,
                    s.filter(p -> p.getFileName().toString().startsWith("data-"))
                            .count());
        }
    }

    @Test
    void aTableReplacedWithACrashAtAnyStepIsCompleteOrMissingNeverHalf() throws Exception {
        ResultStore store = store();
        List<Row> first = batch(0), second = new ArrayList<>(batch(1));
        second.addAll(batch(2));
        write(store, first);
        NonAtomicRenameFileSystem.crashAtStep(-1);
        write(store, second);
        int steps = NonAtomicRenameFileSystem.steps();
        for (int crash = 1; crash <= steps; crash++) {
            write(store, first);
            NonAtomicRenameFileSystem.crashAtStep(crash);
            try {
                write(store, second);
                fail("the crash at step " + crash + " of " + steps + " was not reached");
            } catch (Exception e) { // Spark throws its checked SparkException unchecked
                assertTrue(causedByCrash(e), "crash at step " + crash + ": " + e);
            }
            NonAtomicRenameFileSystem.crashAtStep(-1);
            if (store.hasTable(Tables.TRIALS)) {
                // complete: whichever version it is, all of it
                Set<String> seen =
                        ids(Tables.read(spark, store, Tables.TRIALS, "sweep").collectAsList());
                assertTrue(seen.equals(ids(first)) || seen.equals(ids(second)), "crash at " + crash + ": " + seen);
            }
            write(store, second); // the rerun rebuilds it
            assertEquals(
                    ids(second),
                    ids(Tables.read(spark, store, Tables.TRIALS, "sweep").collectAsList()));
        }
    }

    static void write(ResultStore store, List<Row> rows) {
        RunRecord record = RunRecord.start("sweep", JobConfig.load(null, List.of()), spark);
        Tables.replace(store, Tables.TRIALS, spark.createDataFrame(rows, TrialRows.SCHEMA), record, null);
    }

    static boolean causedByCrash(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InjectedCrash || String.valueOf(t.getMessage()).contains("injected crash")) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (causedByCrash(s)) {
                    return true;
                }
            }
        }
        return false;
    }
}
