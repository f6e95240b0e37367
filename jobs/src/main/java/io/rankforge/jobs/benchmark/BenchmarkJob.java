package io.rankforge.jobs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.MetricKind;
import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.FetchedDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.profile.StoredProfiles;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.run.Problems;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.run.TaskCounter;
import io.rankforge.jobs.run.TrialId;
import io.rankforge.jobs.select.SparkAccuracyOracle;
import io.rankforge.jobs.sensitivity.SensitivityJob;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.TrialJournal;
import io.rankforge.jobs.validate.ValidateJob;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.InfeasibleBudgetException;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.zoo.ZooArchitecture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * {@code benchmark}: the zoo leaderboard. Trains or reuses every configured zoo model (by digest), profiles it (and
 * measures its sensitivity when the metric needs it), lets every method of rankforge.select pick ranks at every
 * budget, then compresses each pick with the standard pipeline once per fine-tuning seed: one Spark task per
 * compression. Finished compressions are committed to a journal in batches ({@link TrialJournal}, as the sweep
 * does), so a rerun skips them. The table OUT/benchmark holds one row per compression and seed; the leaderboard
 * ({@link Leaderboard}) one row per model × method × budget.
 */
public final class BenchmarkJob {
    private BenchmarkJob() {}

    public static ObjectNode run(BenchmarkSettings s, Progress progress) {
        long t0 = System.nanoTime();
        JobConfig c = s.job();
        var d = c.data();
        FetchedDataset fetched = DatasetFetcher.standard(progress::note).fetch(KnownDataset.byId(d.dataset()), d.dir());
        DataSplits all = fetched.splits(d.heldOut(), d.heldOutSeed());
        // the accuracy of the original is measured on the images every compression is measured on
        DataSplits splits = new DataSplits(
                all.train(), all.heldOut().first(d.measureImages()), all.test().first(d.testImages()), d.heldOutSeed());
        // the context first: it checks the output and holds its lock while the models are trained
        try (JobContext ctx = JobContext.open(c, progress)) {
            Optional<PublishedOutput> published = s.remote()
                    ? Optional.of(new PublishedOutput(ctx.store(), s.out(), progress::note))
                    : Optional.empty();
            progress.phase("train", s.models().size());
            List<TrainedZooModel> trained = new ArrayList<>();
            for (ZooArchitecture a : s.models()) {
                published.ifPresent(p -> p.pullModel(a));
                trained.add(ZooModels.trainOrReuse(a, s, splits, progress));
                published.ifPresent(p -> p.pushModel(a));
                progress.taskDone();
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            RunRecord record = RunRecord.start("benchmark", c, ctx.spark());
            ProfileJob.run(ctx);
            boolean sensitivity = c.select().needsSensitivity();
            if (sensitivity) {
                SensitivityJob.run(ctx);
            }
            Map<String, NetworkProfile> profiles = StoredProfiles.read(ctx, sensitivity, sensitivity);
            List<BenchmarkOutcome> infeasible = new ArrayList<>();
            List<BenchmarkTask> planned = plan(ctx, s, profiles, infeasible);

            TrialJournal journal =
                    new TrialJournal(ctx.spark(), ctx.store(), BenchmarkRows.TABLE, BenchmarkRows.SCHEMA);
            journal.cleanUp();
            Map<String, String> stored = journal.statuses();
            List<BenchmarkTask> pending = planned.stream()
                    .filter(t -> !"ok".equals(stored.get(t.taskId())))
                    .toList();
            long skipped = planned.size() - pending.size();
            if (skipped > 0) {
                progress.note(skipped + " of " + planned.size() + " compressions already stored: skipped");
            }
            journal.commit(infeasible.stream()
                    .filter(o -> !stored.containsKey(o.task().taskId()))
                    .map(BenchmarkRows::toRow)
                    .toList());
            long run = runPending(ctx, s, pending, journal);

            Set<String> ids = new HashSet<>();
            planned.forEach(t -> ids.add(t.taskId()));
            infeasible.forEach(o -> ids.add(o.task().taskId()));
            List<Row> table = new ArrayList<>();
            for (Row r : journal.rows().collectAsList()) {
                if (ids.contains(r.<String>getAs("trial_id"))) {
                    table.add(r);
                }
            }
            table.sort(Comparator.<Row, String>comparing(r -> r.getAs("model"))
                    .thenComparing(r -> r.<String>getAs("method"))
                    .thenComparingDouble(r -> r.<Double>getAs("budget"))
                    .thenComparingInt(r -> r.<Integer>getAs("seed_index")));
            ObjectNode runInfo = Json.object();
            runInfo.put("compressions_planned", planned.size());
            runInfo.put("compressions_run", run);
            runInfo.put("compressions_skipped", skipped);
            runInfo.put("infeasible", infeasible.size());
            runInfo.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
            runInfo.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            runInfo.put("table", ctx.store().table(BenchmarkRows.TABLE).toString());
            Tables.replace(ctx.spark(), ctx.store(), BenchmarkRows.TABLE, BenchmarkRows.SCHEMA, table, record, runInfo);
            JsonNode validation = s.validation() ? validationStudy(ctx) : Json.MAPPER.createArrayNode();
            JsonNode reference = ReferenceSelections.of(s.job(), s.referenceProfiles(), ctx.progress()::note);
            ObjectNode summary =
                    Leaderboard.write(s.out(), trained, LeaderboardEntry.of(table), s, runInfo, validation, reference);
            return published.map(p -> p.publishLeaderboard(summary)).orElse(summary);
        }
    }

    /**
     * The validation study on every model of the experiment, as the quickstart runs it on one: the sweep's iso-cost
     * strata (resumable like every sweep) and the validate job; returns its strata (metrics' ρ per model and stratum
     * with intervals).
     */
    private static JsonNode validationStudy(JobContext ctx) {
        if (ctx.config().sweep().includeMethodPicks()) {
            throw new io.rankforge.UserInputException("rankforge.benchmark.validation = true needs "
                    + "rankforge.sweep.include-method-picks = false (the benchmark does not run the select job)");
        }
        SweepJob.run(ctx);
        return ValidateJob.run(ctx).toJson().path("strata");
    }

    /**
     * Every model × budget × method pick, once per fine-tuning seed. A method that finds nothing at a budget is
     * recorded as a failed row (its {@code infeasible} outcome) instead of a task.
     */
    static List<BenchmarkTask> plan(
            JobContext ctx,
            BenchmarkSettings s,
            Map<String, NetworkProfile> profiles,
            List<BenchmarkOutcome> infeasible) {
        JobConfig c = s.job();
        String fineTune = s.describeFineTune() + "; latency repeats " + s.latencyRepeats() + "; test images "
                + c.data().testImages() + "; calibration images " + c.data().calibrationImages();
        List<BenchmarkTask> out = new ArrayList<>();
        ctx.progress().phase("select", 0);
        for (ModelInput m : ctx.models()) {
            NetworkProfile profile = profiles.get(m.digest());
            SparkAccuracyOracle oracle = c.select().methods().contains("enc-inf")
                    ? new SparkAccuracyOracle(ctx.jsc(), ctx.broadcast(m), ctx.measureBlob(), ctx.calibrationBlob())
                    : null;
            for (double budget : c.select().budgets()) {
                for (String method : c.select().methods()) {
                    SelectionProblem p = Problems.of(
                            c,
                            profile,
                            m.digest(),
                            method,
                            budget,
                            MetricKind.parse(c.select().metric()),
                            oracle);
                    String key = String.format(Locale.ROOT, "benchmark|%s|%s|%s", method, budget, fineTune);
                    try {
                        if (oracle != null) {
                            oracle.clear();
                        }
                        Selection sel = RankSelectors.byId(method).select(p);
                        List<String> layers =
                                new ArrayList<>(sel.configuration().ranks().keySet());
                        int[] ranks = layers.stream()
                                .mapToInt(l -> sel.configuration().rank(l))
                                .toArray();
                        for (int i = 0; i < s.seeds(); i++) {
                            String id = TrialId.of(m.digest(), sel.configuration(), key + "|seed " + i, ctx.seed());
                            out.add(new BenchmarkTask(
                                    id,
                                    m.name(),
                                    m.digest(),
                                    method,
                                    budget,
                                    i,
                                    TrialId.taskSeed(ctx.seed(), id),
                                    layers,
                                    ranks,
                                    fineTune));
                        }
                    } catch (InfeasibleBudgetException e) {
                        ctx.progress()
                                .note("model " + m.name() + ", " + method + " at " + budget + ": " + e.getMessage());
                        String id =
                                TrialId.of(m.digest(), io.rankforge.RankConfiguration.of(Map.of()), key, ctx.seed());
                        BenchmarkTask t = new BenchmarkTask(
                                id, m.name(), m.digest(), method, budget, 0, 0, List.of(), new int[0], fineTune);
                        infeasible.add(BenchmarkOutcome.failed(t, e, 0));
                    }
                }
            }
        }
        return out;
    }

    /** Runs the pending compressions in batches, committing each batch to the journal; returns how many ran. */
    private static long runPending(
            JobContext ctx, BenchmarkSettings s, List<BenchmarkTask> pending, TrialJournal journal) {
        ctx.progress().phase("benchmark", pending.size());
        if (pending.isEmpty()) {
            return 0;
        }
        Map<String, Broadcast<ModelBlob>> models = new HashMap<>();
        for (ModelInput m : ctx.models()) {
            models.put(m.digest(), ctx.broadcast(m));
        }
        Broadcast<DataBlob> train = s.fineTuneEpochs() > 0 ? ctx.trainBlob(s.fineTuneImages()) : null;
        BenchmarkRunner runner = new BenchmarkRunner(
                models,
                ctx.testBlob(),
                train,
                ctx.calibrationBlob(),
                s.job().data().dataset(),
                s);
        long run = 0;
        for (int i = 0; i < pending.size(); i += s.tasksPerBatch()) {
            List<BenchmarkTask> batch =
                    new ArrayList<>(pending.subList(i, Math.min(pending.size(), i + s.tasksPerBatch())));
            List<BenchmarkOutcome> results = TaskCounter.compute(
                    ctx.jsc(),
                    "benchmark: compressions",
                    () -> ctx.jsc()
                            .parallelize(batch, batch.size())
                            .map(runner::run)
                            .collect());
            List<Row> rows = new ArrayList<>();
            for (BenchmarkOutcome o : results) {
                rows.add(BenchmarkRows.toRow(o));
                if (!o.ok()) {
                    ctx.progress()
                            .note("compression " + o.task().model() + " "
                                    + o.task().method() + " at " + o.task().budget() + " failed: " + o.error());
                }
            }
            journal.commit(rows);
            run += results.size();
        }
        return run;
    }
}
