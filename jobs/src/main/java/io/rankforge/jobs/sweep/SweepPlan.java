package io.rankforge.jobs.sweep;

import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.jobs.config.FineTuneSettings;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.config.SweepSettings;
import io.rankforge.jobs.run.MetricValues;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.run.Problems;
import io.rankforge.jobs.run.TrialId;
import io.rankforge.metric.MetricTables;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.SelectionProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;

/**
 * The trials of a sweep, decided on the driver and deterministic for a seed: per model and band,
 * {@code samples-per-band} random configurations of the bounded space at targets drawn in the band,
 * then every stored method pick. A configuration picked twice (or sampled and picked) is one trial.
 */
public final class SweepPlan {
    private SweepPlan() {}

    /** Fine-tuning of the methods' picks. */
    public static FineTuneSettings fineTuneOfPick(JobConfig c) {
        FineTuneSettings f = c.sweep().fineTune();
        return f.enabled() ? f : FineTuneSettings.NONE;
    }

    /** Fine-tuning of sampled configurations (none when only picks are fine-tuned). */
    public static FineTuneSettings fineTuneOfSample(JobConfig c) {
        FineTuneSettings f = c.sweep().fineTune();
        return f.enabled() && !f.picksOnly() ? f : FineTuneSettings.NONE;
    }

    /** A stored pick: method at budget with ranks over layers. */
    public record Pick(String method, double budget, List<String> layers, int[] ranks) {}

    public static List<TrialSpec> build(JobConfig c, ModelInput model, NetworkProfile profile, List<Pick> picks) {
        long seed = c.experiment().seed();
        MetricKind boundsMetric = MetricKind.parse(c.select().metric());
        if (boundsMetric.needsSensitivity() && !profile.hasSensitivity()) {
            boundsMetric = MetricKind.PCA;
        }
        SelectionProblem whole = Problems.of(c, profile, model.digest(), "sweep", 1.0, MetricKind.PCA, null);
        MetricTables tables = whole.tables();
        Map<String, TrialSpec> specs = new LinkedHashMap<>();
        FineTuneSettings ftSample = fineTuneOfSample(c);
        for (SweepSettings.Band band : c.sweep().bands()) {
            SplittableRandom random =
                    new SplittableRandom(TrialId.derivedSeed(seed, model.digest(), "band", band.label()));
            int made = 0, attempts = 0;
            while (made < c.sweep().samplesPerBand()
                    && attempts < 20 * c.sweep().samplesPerBand() + 20) {
                attempts++;
                double target = band.low() + random.nextDouble() * (band.high() - band.low());
                SelectionProblem p;
                try {
                    p = Problems.of(c, profile, model.digest(), "sweep", target, boundsMetric, null);
                } catch (io.rankforge.UserInputException belowFloor) {
                    continue; // this target is below the cheapest configuration: draw another
                }
                int[] ranks = TrialSampler.sample(p, boundsMetric, random);
                double ratio = p.flopsRatio(ranks);
                if (!band.contains(ratio)) {
                    continue;
                }
                TrialSpec s = spec(c, model, whole, tables, ranks, band, "random", List.of(), ftSample);
                if (specs.containsKey(s.trialId())) {
                    continue;
                }
                specs.put(s.trialId(), s);
                made++;
            }
        }
        FineTuneSettings ftPick = fineTuneOfPick(c);
        for (Pick pick : picks) {
            RankConfiguration conf = RankConfiguration.of(pick.layers(), pick.ranks());
            int[] ranks = whole.ranksOf(conf);
            String label = pick.method() + "@" + pick.budget();
            String id = TrialId.of(model.digest(), whole.configuration(ranks), measurement(c, ftPick), seed);
            TrialSpec existing = specs.get(id);
            if (existing != null) {
                specs.put(id, existing.withPick(label));
            } else {
                SweepSettings.Band band = c.sweep().bandOf(whole.flopsRatio(ranks));
                specs.put(id, spec(c, model, whole, tables, ranks, band, pick.method(), List.of(label), ftPick));
            }
        }
        return List.copyOf(specs.values());
    }

    static TrialSpec spec(
            JobConfig c,
            ModelInput model,
            SelectionProblem whole,
            MetricTables tables,
            int[] ranks,
            SweepSettings.Band band,
            String source,
            List<String> pickedBy,
            FineTuneSettings ft) {
        long seed = c.experiment().seed();
        String id = TrialId.of(model.digest(), whole.configuration(ranks), measurement(c, ft), seed);
        return new TrialSpec(
                id,
                model.name(),
                model.digest(),
                whole.layerNames(),
                ranks,
                band == null ? null : band.label(),
                band == null ? Double.NaN : band.low(),
                band == null ? Double.NaN : band.high(),
                source,
                pickedBy,
                whole.flopsRatio(ranks),
                whole.paramsRatio(ranks),
                whole.networkFlopsRatio(ranks),
                MetricValues.of(tables, ranks),
                ft,
                TrialId.taskSeed(seed, id));
    }

    /**
     * How a trial is measured, the part of its id beyond model, ranks and seed: the fine-tuning, the number
     * of test images and of batch-norm calibration images. A trial measured another way is another trial.
     */
    public static String measurement(JobConfig c, FineTuneSettings ft) {
        return ft.identity() + "|test:" + c.data().testImages() + "|bn:"
                + c.data().calibrationImages();
    }

    /** Picks stored by the select job for one model (rows of the selections table). */
    public static List<Pick> picksOf(List<Row> selections, String digest) {
        List<Pick> out = new ArrayList<>();
        for (Row r : selections) {
            if (!digest.equals(r.getAs("model_digest"))) {
                continue;
            }
            if (!"ok".equals(r.getAs("status"))) {
                continue; // a method that found nothing has no pick to evaluate
            }
            List<String> layers = r.getList(r.fieldIndex("layers"));
            List<Integer> ranks = r.getList(r.fieldIndex("ranks"));
            out.add(new Pick(
                    r.getAs("method"),
                    r.<Double>getAs("budget"),
                    layers,
                    ranks.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }
}
