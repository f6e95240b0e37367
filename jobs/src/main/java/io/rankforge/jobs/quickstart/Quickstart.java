package io.rankforge.jobs.quickstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.FetchedDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.decompose.CompressionCost;
import io.rankforge.decompose.Decomposer;
import io.rankforge.eval.Evaluation;
import io.rankforge.eval.Evaluator;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import io.rankforge.io.Provenance;
import io.rankforge.jobs.config.DataSettings;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.search.RankConfiguration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quickstart, phase by phase. Interim form, until the study's Spark jobs are in: fetch the data,
 * train (or reuse) the model, evaluate it and its full-rank decomposition. Each phase shows on the
 * console and is timed; DIR/summary.json (the --json line) carries the numbers.
 */
public final class Quickstart {
    static final List<String> PHASES = List.of("data", "train", "evaluate");

    private Quickstart() {
    }

    public static ObjectNode run(QuickstartSettings settings, ConsoleProgress progress) {
        PhaseClock clock = new PhaseClock(progress, PHASES);
        QuickstartSettings[] s = {settings};
        DataSplits[] splits = new DataSplits[1];
        clock.run("data", () -> {
            DataSettings d = s[0].job().data();
            FetchedDataset f = DatasetFetcher.standard(progress::note).fetch(KnownDataset.byId(d.dataset()), d.dir());
            if (!f.dir().toAbsolutePath().equals(d.resolvedDir().toAbsolutePath())) s[0] = s[0].withDataDir(f.dir());
            splits[0] = f.splits(d.heldOut(), d.heldOutSeed());
            return PhaseClock.Outcome.computed(String.format(Locale.ROOT, "%s from %s: %,d train, %,d held-out, %,d test images",
                    d.dataset(), f.source(), splits[0].train().size(), splits[0].heldOut().size(), splits[0].test().size()));
        });
        QuickstartSettings q = s[0];
        TrainPhase.Result[] model = new TrainPhase.Result[1];
        clock.run("train", () -> {
            model[0] = TrainPhase.run(q, splits[0], progress);
            String acc = String.format(Locale.ROOT, "test accuracy %.4f", model[0].testAccuracy());
            return model[0].reused()
                    ? PhaseClock.Outcome.reused("reused " + q.modelFile() + " (same digest and training settings), " + acc)
                    : PhaseClock.Outcome.computed("trained " + q.modelFile() + ", " + acc);
        });
        ObjectNode evaluation = Json.object();
        clock.run("evaluate", () -> {
            LoadedModel loaded = ModelLoader.load(model[0].file());
            var test = splits[0].test().first(q.job().data().testImages());
            Evaluation original = Evaluator.evaluate(loaded.model(), test);
            Decomposer dec = Decomposer.withDefaultSchemes(loaded.model(), loaded.inputType());
            Map<String, Integer> full = new LinkedHashMap<>();
            for (var l : dec.plan().layers()) full.put(l.name(), dec.plan().scheme(l.name()).fullRank(l));
            RankConfiguration fullRank = RankConfiguration.of(full);
            Evaluation decomposed = Evaluator.evaluate(dec.decompose(fullRank), test);
            CompressionCost cost = CompressionCost.of(dec.plan(), fullRank);
            evaluation.put("test_images", test.size());
            evaluation.put("accuracy_original", original.accuracy());
            evaluation.put("accuracy_full_rank", decomposed.accuracy());
            evaluation.put("flops_ratio_compressible_full_rank", cost.compressibleMacsRatio());
            evaluation.put("flops_ratio_network_full_rank", cost.networkMacsRatio());
            evaluation.set("full_ranks", Json.MAPPER.valueToTree(full));
            return PhaseClock.Outcome.computed(String.format(Locale.ROOT,
                    "accuracy %.4f original, %.4f decomposed at full rank (%d layers) on %,d test images",
                    original.accuracy(), decomposed.accuracy(), full.size(), test.size()));
        });
        ObjectNode summary = Json.object();
        summary.put("command", "quickstart");
        summary.put("status", "ok");
        summary.put("out", q.out().toAbsolutePath().toString());
        summary.put("seconds", Math.round(clock.totalSeconds() * 10) / 10.0);
        ObjectNode m = summary.putObject("model");
        m.put("name", q.model());
        m.put("dataset", q.job().data().dataset());
        m.put("path", model[0].file().toString());
        m.put("sha256", model[0].sha256());
        m.put("test_accuracy", model[0].testAccuracy());
        m.put("test_images", model[0].testImages());
        m.put("train_seconds", model[0].trainSeconds());
        m.put("reused", model[0].reused());
        summary.set("evaluation", evaluation);
        summary.set("phases", Json.MAPPER.valueToTree(clock.timings()));
        summary.set("provenance", Provenance.describe());
        AtomicFiles.writeString(q.out().resolve("summary.json"), Json.pretty(summary) + "\n");
        return summary;
    }
}
