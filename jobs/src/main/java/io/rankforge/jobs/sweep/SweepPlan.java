package io.rankforge.jobs.sweep;

import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.UserInputException;
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
import io.rankforge.validation.IsoCostSampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The trials of a sweep, decided on the driver and deterministic for a seed: per model and iso-cost stratum,
 * {@code samples-per-stratum} configurations drawn uniformly from the rank box inside the stratum's cost window
 * ({@link IsoCostSampler}, favouring no metric), then every stored method pick. A configuration picked twice (or
 * sampled and picked) is one trial; its source stays "random" when it was sampled, so the samples remain an
 * unbiased draw and picks never enter the correlations.
 */
public final class SweepPlan {
    private SweepPlan() {}

    /** Fine-tuning of the methods' picks. */
    public static FineTuneSettings fineTuneOfPick(JobConfig c) {
        FineTuneSettings f = c.sweep().fineTune();
        return f.enabled() ? f : FineTuneSettings.NONE;
    }

    /** Fine-tuning of the configurations sampled for a stratum (none unless the stratum is configured for it). */
    public static FineTuneSettings fineTuneOfSample(JobConfig c, SweepSettings.Stratum stratum) {
        FineTuneSettings f = c.sweep().fineTune();
        return f.finetunesSamplesAt(stratum.target()) ? f : FineTuneSettings.NONE;
    }

    /** A stored pick: method at budget with ranks over layers. */
    public record Pick(String method, double budget, List<String> layers, int[] ranks) {}

    public static List<TrialSpec> build(JobConfig c, ModelInput model, NetworkProfile profile, List<Pick> picks) {
        long seed = c.experiment().seed();
        SelectionProblem whole = Problems.of(c, profile, model.digest(), "sweep", 1.0, MetricKind.PCA, null);
        MetricTables tables = whole.tables();
        Map<String, TrialSpec> specs = new LinkedHashMap<>();
        for (SweepSettings.Stratum stratum : c.sweep().strata()) {
            IsoCostSampler sampler = sampler(c, model, profile, stratum);
            FineTuneSettings ft = fineTuneOfSample(c, stratum);
            long drawSeed = TrialId.derivedSeed(seed, model.digest(), "stratum", stratum.label());
            for (int[] ranks : sampler.sample(c.sweep().samplesPerStratum(), drawSeed)) {
                TrialSpec s = spec(c, model, whole, tables, ranks, stratum, "random", List.of(), ft);
                specs.putIfAbsent(s.trialId(), s);
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
                SweepSettings.Stratum stratum = c.sweep().stratumAt(pick.budget());
                // source "pick", not the method's id: the random baseline is itself called "random"
                specs.put(id, spec(c, model, whole, tables, ranks, stratum, "pick", List.of(label), ftPick));
            }
        }
        return List.copyOf(specs.values());
    }

    /** The sampler of one stratum, over the rank bounds the selection methods use (first-layer rule, floors). */
    static IsoCostSampler sampler(JobConfig c, ModelInput model, NetworkProfile profile, SweepSettings.Stratum st) {
        String key = "rankforge.sweep.strata";
        SelectionProblem p;
        try {
            p = Problems.of(c, profile, model.digest(), "sweep", st.target(), MetricKind.PCA, null);
        } catch (UserInputException belowFloor) {
            throw new UserInputException(key + ": stratum " + st.label() + " of model " + model.name()
                    + " is out of reach (" + belowFloor.getMessage() + "); raise its target");
        }
        try {
            return IsoCostSampler.of(p, st.target(), st.window());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(key + ": stratum " + st.label() + " of model " + model.name()
                    + " has no configuration in its cost window (" + e.getMessage()
                    + "); choose another target or a wider rankforge.sweep.window");
        }
    }

    static TrialSpec spec(
            JobConfig c,
            ModelInput model,
            SelectionProblem whole,
            MetricTables tables,
            int[] ranks,
            SweepSettings.Stratum stratum,
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
                stratum == null ? null : stratum.label(),
                stratum == null ? Double.NaN : stratum.low(),
                stratum == null ? Double.NaN : stratum.high(),
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
