package io.rankforge.jobs.sweep;

import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.profile.StoredProfiles;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.run.TaskCounter;
import io.rankforge.jobs.spark.Sessions;
import io.rankforge.jobs.store.ArrowExport;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.profile.NetworkProfile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * {@code sweep}: the ground truth of many configurations per model, one Spark task per trial.
 *
 * <p>Resumable and exactly-once: trials run in batches; each finished batch is committed to the
 * journal atomically ({@link TrialJournal}); a rerun reads the journal and runs only the trials not
 * yet stored. At the end the {@code trials} table is rebuilt from the journal, one row per planned
 * trial, and exported as OUT/trials.arrow. Two batches are in flight at a time, so the cluster stays
 * busy while the driver commits. A failed trial is stored with its error; the sweep stops once
 * {@code failure-cap} trials have failed in one run.
 */
public final class SweepJob {
    /** Batches submitted ahead of the one being committed. */
    static final int IN_FLIGHT = 2;

    private SweepJob() {}

    /** The job as a value, which the CLI's {@code sweep} command runs. */
    public static final Job<SweepSummary> JOB = Job.of(
            "sweep",
            "Evaluate configurations sampled in iso-cost strata and every method's pick (test accuracy, "
                    + "optionally after fine-tuning), on Spark; reruns skip stored trials.",
            SweepJob::run);

    public static SweepSummary run(JobContext ctx) {
        long t0 = System.nanoTime();
        JobConfig c = ctx.config();
        RunRecord record = RunRecord.start("sweep", c, ctx.spark());
        Map<String, NetworkProfile> profiles = StoredProfiles.read(ctx, true, false);
        List<Row> selections = c.sweep().includeMethodPicks()
                ? Tables.read(ctx.spark(), ctx.store(), Tables.SELECTIONS, "select")
                        .collectAsList()
                : List.of();

        List<TrialSpec> planned = new ArrayList<>();
        for (ModelInput m : ctx.models()) {
            planned.addAll(SweepPlan.build(c, m, profiles.get(m.digest()), SweepPlan.picksOf(selections, m.digest())));
        }
        TrialJournal journal = new TrialJournal(ctx.spark(), ctx.store(), Tables.TRIALS, TrialRows.SCHEMA);
        journal.cleanUp();
        Map<String, String> stored = journal.statuses();
        List<TrialSpec> pending = new ArrayList<>();
        for (TrialSpec s : planned) {
            String st = stored.get(s.trialId());
            if (st == null || (c.sweep().retryFailed() && st.equals("failed"))) {
                pending.add(s);
            }
        }
        long skipped = planned.size() - pending.size();
        ctx.progress().phase("sweep", pending.size());
        if (skipped > 0) {
            ctx.progress().note(skipped + " of " + planned.size() + " trials already stored: skipped");
        }

        long run = 0, failed = 0;
        boolean stopped = false;
        List<TrialResult> finished = new ArrayList<>();
        long trialsStart = System.nanoTime();
        if (!pending.isEmpty()) {
            Map<String, Broadcast<ModelBlob>> models = new HashMap<>();
            for (ModelInput m : ctx.models()) {
                models.put(m.digest(), ctx.broadcast(m));
            }
            boolean tunes = pending.stream().anyMatch(s -> s.fineTune().enabled());
            Broadcast<DataBlob> train =
                    tunes ? ctx.trainBlob(c.sweep().fineTune().images()) : null;
            TrialRunner runner = new TrialRunner(models, ctx.testBlob(), train, ctx.calibrationBlob());

            List<List<TrialSpec>> batches = new ArrayList<>();
            for (int i = 0; i < pending.size(); i += c.sweep().batchSize()) {
                batches.add(pending.subList(
                        i, Math.min(pending.size(), i + c.sweep().batchSize())));
            }
            Deque<JavaFutureAction<List<TrialResult>>> inFlight = new ArrayDeque<>();
            int next = 0;
            while (next < batches.size() || !inFlight.isEmpty()) {
                while (!stopped && inFlight.size() < IN_FLIGHT && next < batches.size()) {
                    List<TrialSpec> batch = new ArrayList<>(batches.get(next++));
                    inFlight.add(TaskCounter.compute(
                            ctx.jsc(),
                            "sweep: trials",
                            () -> ctx.jsc()
                                    .parallelize(batch, batch.size())
                                    .map(runner::run)
                                    .collectAsync()));
                }
                List<TrialResult> results;
                try {
                    results = inFlight.removeFirst().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("sweep interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a batch of trials could not run: " + e.getCause(), e.getCause());
                }
                List<Row> rows = new ArrayList<>();
                finished.addAll(results);
                for (TrialResult r : results) {
                    rows.add(TrialRows.toRow(r));
                    if (!r.ok()) {
                        failed++;
                        ctx.progress().note("trial " + r.spec().trialId() + " failed: " + r.error());
                    }
                }
                journal.commit(rows);
                run += results.size();
                if (!stopped && failed > 0 && failed >= c.sweep().failureCap()) {
                    stopped = true;
                    ctx.progress()
                            .note("failure cap reached (" + failed + " failed trials, rankforge.sweep.failure-cap = "
                                    + c.sweep().failureCap() + "): stopping after the batches in flight");
                }
            }
        }
        SweepCost cost = SweepCost.of(finished, (System.nanoTime() - trialsStart) / 1e9, Sessions.slots(ctx.spark()));
        List<Row> table = compact(ctx, journal, planned);
        SweepSummary summary = new SweepSummary(
                planned.size(),
                run,
                skipped,
                failed,
                stopped,
                (System.nanoTime() - t0) / 1e9,
                ctx.store().table(Tables.TRIALS).toString(),
                cost);
        Tables.replace(ctx.spark(), ctx.store(), Tables.TRIALS, TrialRows.SCHEMA, table, record, summary.toJson());
        ArrowExport.write(ctx.store(), ctx.store().path("trials.arrow"), TrialRows.SCHEMA, table);
        ctx.progress()
                .note("trials: " + table.size() + " rows -> " + ctx.store().table(Tables.TRIALS) + " and trials.arrow");
        return summary;
    }

    /** The journal's rows of the planned trials, one per trial, in a stable order. */
    static List<Row> compact(JobContext ctx, TrialJournal journal, List<TrialSpec> planned) {
        Set<String> ids = new HashSet<>();
        for (TrialSpec s : planned) {
            ids.add(s.trialId());
        }
        List<Row> rows = new ArrayList<>();
        for (Row r : journal.rows().collectAsList()) {
            if (ids.contains(r.getString(0))) {
                rows.add(r);
            }
        }
        rows.sort(Comparator.<Row, String>comparing(r -> r.getString(1))
                .thenComparing(r -> r.isNullAt(3) ? "~" : r.getString(3))
                .thenComparing(r -> r.getString(6))
                .thenComparing(r -> r.getString(0)));
        return rows;
    }
}
