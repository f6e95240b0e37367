package io.rankforge.jobs.quickstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.FetchedDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.jobs.config.DataSettings;
import io.rankforge.jobs.config.FineTuneSettings;
import io.rankforge.jobs.config.SweepSettings;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.report.ModelInfo;
import io.rankforge.jobs.report.ReportWriter;
import io.rankforge.jobs.report.ResultsReader;
import io.rankforge.jobs.report.StudyResults;
import io.rankforge.jobs.report.SweepCounts;
import io.rankforge.jobs.run.ConsoleProgress;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.select.SelectJob;
import io.rankforge.jobs.sensitivity.SensitivityJob;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import io.rankforge.jobs.validate.ValidateJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The quickstart, phase by phase: fetch the data, train (or reuse) the model, then the study's
 * Spark jobs as library calls on one session (profile, sensitivity, select, sweep, validate), then
 * the report. Each phase shows on the console and is timed; the summary (DIR/summary.json, the
 * --json line) carries every number of the report and the phases' times.
 */
public final class Quickstart {
    static final List<String> PHASES =
            List.of("data", "train", "profile", "sensitivity", "select", "sweep", "validate", "report");

    private Quickstart() {}

    public static ObjectNode run(QuickstartSettings settings, ConsoleProgress progress) {
        PhaseClock clock = new PhaseClock(progress, PHASES);
        QuickstartSettings[] s = {settings};
        DataSplits[] splits = new DataSplits[1];
        clock.run("data", () -> {
            DataSettings d = s[0].job().data();
            FetchedDataset f = DatasetFetcher.standard(progress::note).fetch(KnownDataset.byId(d.dataset()), d.dir());
            // the jobs find the same folder the same way (JobContext.splits)
            splits[0] = f.splits(d.heldOut(), d.heldOutSeed());
            return PhaseClock.Outcome.computed(String.format(
                    Locale.ROOT,
                    "%s from %s: %,d train, %,d held-out, %,d test images",
                    d.dataset(),
                    f.source(),
                    splits[0].train().size(),
                    splits[0].heldOut().size(),
                    splits[0].test().size()));
        });
        QuickstartSettings q = s[0];
        TrainPhase.Result[] model = new TrainPhase.Result[1];
        clock.run("train", () -> {
            model[0] = TrainPhase.run(q, splits[0], progress);
            String acc = String.format(Locale.ROOT, "test accuracy %.4f", model[0].testAccuracy());
            return model[0].reused()
                    ? PhaseClock.Outcome.reused(
                            "reused " + q.modelFile() + " (same digest and training settings), " + acc)
                    : PhaseClock.Outcome.computed("trained " + q.modelFile() + ", " + acc);
        });
        splits[0] = null; // the jobs read their own copy; let this one go

        JobContext[] context = new JobContext[1];
        try {
            clock.run("profile", () -> {
                context[0] = JobContext.open(q.job(), progress); // starting Spark counts as part of the first job
                LogLevels.reapply(); // Spark's start-up may reset the library loggers
                if (StoredTables.upToDate(context[0], Tables.PROFILES, model[0].sha256())) {
                    return keptFromEarlierRun(Tables.PROFILES);
                }
                return PhaseClock.Outcome.computed(ProfileJob.run(context[0]).layers() + " layers");
            });
            JobContext ctx = context[0];
            String digest = model[0].sha256();
            clock.run("sensitivity", () -> {
                if (StoredTables.upToDate(ctx, Tables.SENSITIVITY, digest)) {
                    return keptFromEarlierRun(Tables.SENSITIVITY);
                }
                return PhaseClock.Outcome.computed(SensitivityJob.run(ctx).samples() + " samples");
            });
            clock.run("select", () -> {
                if (StoredTables.upToDate(ctx, Tables.SELECTIONS, digest)) {
                    return keptFromEarlierRun(Tables.SELECTIONS);
                }
                var r = SelectJob.run(ctx);
                return PhaseClock.Outcome.computed(
                        r.selections() + " picks, " + r.candidatesEvaluated() + " ENC-Inf candidates evaluated");
            });
            SweepSummary[] sweep = new SweepSummary[1];
            clock.run("sweep", () -> {
                sweep[0] = SweepJob.run(ctx);
                SweepSummary w = sweep[0];
                String line = w.trialsTotal() + " trials: " + w.trialsRun() + " run, " + w.trialsSkipped() + " stored, "
                        + w.trialsFailed() + " failed";
                return w.trialsRun() == 0 && w.trialsSkipped() > 0
                        ? PhaseClock.Outcome.reused(line)
                        : PhaseClock.Outcome.computed(line);
            });
            ValidateJob.Result[] validated = new ValidateJob.Result[1];
            clock.run("validate", () -> {
                validated[0] = ValidateJob.run(ctx);
                return PhaseClock.Outcome.computed(validated[0].strata().size() + " strata, "
                        + validated[0].picks().size() + " picks");
            });
            ObjectNode[] summary = new ObjectNode[1];
            clock.run("report", () -> {
                String name = modelName(q.modelFile());
                ModelInfo trained = new ModelInfo(
                        q.model(),
                        q.job().data().dataset(),
                        q.modelFile().toString(),
                        model[0].sha256(),
                        model[0].testAccuracy(),
                        model[0].testImages(),
                        0,
                        0,
                        model[0].trainSeconds(),
                        model[0].reused());
                SweepSummary w = sweep[0];
                StudyResults results = ResultsReader.read(
                        ctx.spark(),
                        ctx.store().root().toString(),
                        name,
                        trained,
                        new SweepCounts(
                                w.trialsTotal(), w.trialsRun(), w.trialsSkipped(), w.trialsFailed(), w.seconds()),
                        describe(q.job().sweep().fineTune()),
                        q.job().data().calibrationImages(),
                        q.job().select().methods());
                // the report's own time is not known until it is written: it shows the phases before it
                summary[0] = ReportWriter.write(results, clock.timings(), clock.totalSeconds(), q.out());
                return PhaseClock.Outcome.computed(summary[0].path("report").asText());
            });
            ValidateJob.writeContract(
                    summary[0], validated[0].strata(), validated[0].comparisons(), validated[0].picks());
            return ReportWriter.finish(summary[0], clock.timings(), clock.totalSeconds(), q.out());
        } finally {
            if (context[0] != null) {
                context[0].close();
            }
        }
    }

    private static PhaseClock.Outcome keptFromEarlierRun(String table) {
        return PhaseClock.Outcome.reused(
                "kept the " + table + " table of an earlier run (same configuration, same model digest)");
    }

    /** The model's name in the result tables: its file name without extension. */
    static String modelName(Path modelFile) {
        String f = modelFile.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    static String describe(FineTuneSettings f) {
        if (!f.enabled()) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "%d epoch(s), Adam learning rate %s, batch %d, the first %,d training images; %s",
                f.epochs(),
                f.learningRate(),
                f.batchSize(),
                f.images(),
                f.sampleStrata().isEmpty()
                        ? "the methods' picks only"
                        : "the methods' picks and every sample of the "
                                + f.sampleStrata().stream()
                                        .map(SweepSettings.Stratum::labelOf)
                                        .collect(java.util.stream.Collectors.joining(", "))
                                + " stratum");
    }
}
