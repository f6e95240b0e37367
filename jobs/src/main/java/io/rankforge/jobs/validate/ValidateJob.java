package io.rankforge.jobs.validate;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.config.SweepSettings;
import io.rankforge.jobs.config.ValidateSettings;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.JobResult;
import io.rankforge.jobs.run.TrialId;
import io.rankforge.jobs.store.NamedRows;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.TrialRows;
import io.rankforge.validation.MetricAgreement;
import io.rankforge.validation.MetricComparison;
import io.rankforge.validation.PickStanding;
import io.rankforge.validation.StratumStatistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code validate}: does a metric order configurations of equal cost the way ground truth does (docs/method.md §8,
 * docs/spark.md)? Per model, iso-cost stratum and ground truth (test accuracy without fine-tuning, and after the
 * fixed fine-tuning where the stratum's samples have it), over the <em>random samples only</em>: for every metric
 * Spearman ρ, Kendall τ-b, pairwise concordance, top-k precision and the regret of the metric's top sample, with
 * seeded bootstrap intervals at the configured level, and paired comparisons Δρ between metrics. A stratum with
 * fewer samples than {@code rankforge.validate.min-samples} is "too few". Per method and budget: the pick's
 * percentile among the samples of its stratum and its regret against the best sample costing no more. One table,
 * {@code validation}, with a {@code kind} column: "metric", "comparison" or "pick".
 */
public final class ValidateJob {
    public static final List<String> GROUND_TRUTHS = List.of("accuracy", "accuracy_finetuned");

    public static final StructType SCHEMA = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("model_digest", DataTypes.StringType, false)
            .add("stratum", DataTypes.StringType, true)
            .add("target", DataTypes.DoubleType, true)
            .add("cost_low", DataTypes.DoubleType, true)
            .add("cost_high", DataTypes.DoubleType, true)
            .add("ground_truth", DataTypes.StringType, true)
            .add("samples", DataTypes.IntegerType, false)
            .add("too_few", DataTypes.BooleanType, true)
            .add("metric", DataTypes.StringType, true)
            .add("spearman", DataTypes.DoubleType, true)
            .add("spearman_low", DataTypes.DoubleType, true)
            .add("spearman_high", DataTypes.DoubleType, true)
            .add("kendall", DataTypes.DoubleType, true)
            .add("kendall_low", DataTypes.DoubleType, true)
            .add("kendall_high", DataTypes.DoubleType, true)
            .add("concordance", DataTypes.DoubleType, true)
            .add("top_k_precision", DataTypes.DoubleType, true)
            .add("regret", DataTypes.DoubleType, true)
            .add("regret_low", DataTypes.DoubleType, true)
            .add("regret_high", DataTypes.DoubleType, true)
            .add("metric_a", DataTypes.StringType, true)
            .add("metric_b", DataTypes.StringType, true)
            .add("delta_spearman", DataTypes.DoubleType, true)
            .add("low", DataTypes.DoubleType, true)
            .add("high", DataTypes.DoubleType, true)
            .add("method", DataTypes.StringType, true)
            .add("budget", DataTypes.DoubleType, true)
            .add("flops_ratio", DataTypes.DoubleType, true)
            .add("accuracy", DataTypes.DoubleType, true)
            .add("accuracy_finetuned", DataTypes.DoubleType, true)
            .add("percentile", DataTypes.DoubleType, true)
            .add("percentile_finetuned", DataTypes.DoubleType, true)
            .add("regret_finetuned", DataTypes.DoubleType, true)
            .add("search_seconds", DataTypes.DoubleType, true)
            .add("trial_id", DataTypes.StringType, true)
            .add("confidence", DataTypes.DoubleType, false);

    private ValidateJob() {}

    /** The job as a value, which the CLI's {@code validate} command runs. */
    public static final Job<Result> JOB = Job.of(
            "validate",
            "Validate the metrics against the sweep's ground truth per iso-cost stratum, over the random samples "
                    + "only: Spearman, Kendall, concordance, top-k precision, regret (bootstrap intervals), paired "
                    + "comparisons; each method's pick against its stratum's samples.",
            ValidateJob::run);

    /** What validate found, as typed values; {@link #toJson} is summary.json's validation part. */
    public record Result(
            List<StratumValidation> strata,
            List<ComparisonValidation> comparisons,
            List<PickValidation> picks,
            double confidence,
            double seconds)
            implements JobResult {
        public Result {
            strata = List.copyOf(strata);
            comparisons = List.copyOf(comparisons);
            picks = List.copyOf(picks);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("job", "validate");
            o.put("seconds", seconds);
            o.put("confidence", confidence);
            writeContract(o, strata, comparisons, picks);
            return o;
        }

        /** The rows of the validation table, built by field name from the same fields as the summary. */
        public List<Row> rows() {
            List<Row> out = new ArrayList<>();
            for (StratumValidation s : strata) {
                for (MetricAgreement m : s.metrics()) {
                    Map<String, Object> v = row("metric", s.modelDigest());
                    v.putAll(fields(s));
                    v.put("metric", m.metric());
                    v.putAll(statistics(m));
                    out.add(NamedRows.of(SCHEMA, v));
                }
            }
            for (ComparisonValidation c : comparisons) {
                Map<String, Object> v = row("comparison", c.modelDigest());
                v.putAll(fields(c));
                v.put("samples", 0);
                out.add(NamedRows.of(SCHEMA, v));
            }
            for (PickValidation p : picks) {
                Map<String, Object> v = row("pick", p.modelDigest());
                v.putAll(fields(p));
                v.put("metric", p.metric());
                v.put("search_seconds", p.searchSeconds());
                v.put("trial_id", p.trialId());
                out.add(NamedRows.of(SCHEMA, v));
            }
            return out;
        }

        private Map<String, Object> row(String kind, String digest) {
            Map<String, Object> v = new HashMap<>();
            v.put("kind", kind);
            v.put("model_digest", digest);
            v.put("confidence", confidence);
            return v;
        }
    }

    /**
     * Writes the summary contract: {@code strata}, {@code comparisons} and {@code picks} (docs/results.md); NaN is
     * written as null.
     */
    public static void writeContract(
            ObjectNode o,
            List<StratumValidation> strata,
            List<ComparisonValidation> comparisons,
            List<PickValidation> picks) {
        ArrayNode st = o.putArray("strata");
        for (StratumValidation s : strata) {
            ObjectNode x = st.addObject();
            putAll(x, fields(s));
            ObjectNode ms = x.putObject("metrics");
            for (MetricAgreement m : s.metrics()) {
                putAll(ms.putObject(m.metric()), statistics(m));
            }
        }
        ArrayNode cs = o.putArray("comparisons");
        for (ComparisonValidation c : comparisons) {
            putAll(cs.addObject(), fields(c));
        }
        ArrayNode ps = o.putArray("picks");
        for (PickValidation p : picks) {
            ObjectNode x = ps.addObject();
            putAll(x, fields(p));
            putAll(x, Collections.singletonMap("network_flops_ratio", p.networkFlopsRatio()));
            ObjectNode ranks = x.putObject("ranks");
            p.ranks().forEach(ranks::put);
        }
    }

    // ---- the fields the summary and the table share, by name ----

    private static Map<String, Object> fields(StratumValidation s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("model", s.model());
        v.put("stratum", s.stratum());
        v.put("target", s.target());
        v.put("cost_low", s.costLow());
        v.put("cost_high", s.costHigh());
        v.put("ground_truth", s.groundTruth());
        v.put("samples", s.samples());
        v.put("too_few", s.tooFew());
        return v;
    }

    private static Map<String, Object> statistics(MetricAgreement m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("spearman", m.spearman());
        v.put("spearman_low", m.spearmanLow());
        v.put("spearman_high", m.spearmanHigh());
        v.put("kendall", m.kendall());
        v.put("kendall_low", m.kendallLow());
        v.put("kendall_high", m.kendallHigh());
        v.put("concordance", m.concordance());
        v.put("top_k_precision", m.topKPrecision());
        v.put("regret", m.regret());
        v.put("regret_low", m.regretLow());
        v.put("regret_high", m.regretHigh());
        return v;
    }

    private static Map<String, Object> fields(ComparisonValidation c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("model", c.model());
        v.put("stratum", c.stratum());
        v.put("target", c.target());
        v.put("ground_truth", c.groundTruth());
        v.put("metric_a", c.delta().metricA());
        v.put("metric_b", c.delta().metricB());
        v.put("delta_spearman", c.delta().deltaSpearman());
        v.put("low", c.delta().low());
        v.put("high", c.delta().high());
        return v;
    }

    private static Map<String, Object> fields(PickValidation p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("model", p.model());
        v.put("method", p.method());
        v.put("budget", p.budget());
        v.put("flops_ratio", p.flopsRatio());
        v.put("accuracy", p.accuracy());
        v.put("accuracy_finetuned", p.accuracyFinetuned());
        v.put("percentile", p.percentile());
        v.put("percentile_finetuned", p.percentileFinetuned());
        v.put("regret", p.regret());
        v.put("regret_finetuned", p.regretFinetuned());
        v.put("samples", p.samples());
        v.put("stratum", p.stratum());
        return v;
    }

    /** Writes each value by its type; null and non-finite numbers as JSON null. */
    private static void putAll(ObjectNode o, Map<String, Object> values) {
        values.forEach((name, value) -> {
            if (value instanceof Double d && Double.isFinite(d)) {
                o.put(name, d);
            } else if (value instanceof Integer n) {
                o.put(name, n);
            } else if (value instanceof Boolean b) {
                o.put(name, b);
            } else if (value instanceof String t) {
                o.put(name, t);
            } else {
                o.putNull(name);
            }
        });
    }

    /** A stored trial as the statistics see it. */
    record Point(
            String trialId,
            String model,
            String digest,
            String stratum,
            boolean sampled,
            double flopsRatio,
            Map<String, Double> metrics,
            Map<String, Double> truths) {}

    public static Result run(JobContext ctx) {
        long t0 = System.nanoTime();
        JobConfig c = ctx.config();
        RunRecord record = RunRecord.start("validate", c, ctx.spark());
        List<Row> trials = Tables.read(ctx.spark(), ctx.store(), Tables.TRIALS, "sweep")
                .where(col("status").equalTo("ok"))
                .collectAsList();
        if (trials.isEmpty()) {
            throw new UserInputException("the trials table under " + ctx.store()
                    + " holds no successful trial; run `rankforge sweep` first");
        }
        List<Row> selections = ctx.store().hasTable(Tables.SELECTIONS)
                ? ctx.spark()
                        .read()
                        .parquet(ctx.store().tableUri(Tables.SELECTIONS))
                        .collectAsList()
                : List.of();
        List<Point> points = new ArrayList<>();
        for (Row r : trials) {
            points.add(point(r));
        }
        // a fixed order (not the table's), so bootstrap resamples and tie-breaks are reproducible
        points.sort(Comparator.comparing(Point::trialId));
        ctx.progress().phase("validate", 0);
        Result result = validate(c, points, selections, (System.nanoTime() - t0) / 1e9);
        Tables.replace(ctx.spark(), ctx.store(), Tables.VALIDATION, SCHEMA, result.rows(), record, result.toJson());
        ctx.progress()
                .note("validation: " + result.strata().size() + " strata, "
                        + result.picks().size() + " picks -> " + ctx.store().table(Tables.VALIDATION));
        return result;
    }

    static Point point(Row r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : TrialRows.METRICS) {
            Object v = r.getAs("metric_" + k);
            if (v != null) {
                m.put(k, (Double) v);
            }
        }
        Map<String, Double> t = new LinkedHashMap<>();
        for (String k : GROUND_TRUTHS) {
            Object v = r.getAs(k);
            if (v != null) {
                t.put(k, (Double) v);
            }
        }
        return new Point(
                r.getAs("trial_id"),
                r.getAs("model"),
                r.getAs("model_digest"),
                r.getAs("stratum"),
                "random".equals(r.getAs("source")),
                r.<Double>getAs("flops_ratio"),
                m,
                t);
    }

    static Result validate(JobConfig c, List<Point> points, List<Row> selections, double seconds) {
        ValidateSettings v = c.validate();
        // the samples of each (model, stratum): random draws only, never a method's pick
        Map<String, List<Point>> samples = new LinkedHashMap<>();
        Map<String, Point> byId = new HashMap<>();
        for (Point p : points) {
            byId.put(p.trialId(), p);
            if (p.sampled() && p.stratum() != null) {
                samples.computeIfAbsent(p.digest() + "|" + p.stratum(), k -> new ArrayList<>())
                        .add(p);
            }
        }
        List<StratumValidation> strata = new ArrayList<>();
        List<ComparisonValidation> comparisons = new ArrayList<>();
        for (List<Point> group : samples.values()) {
            Point first = group.get(0);
            SweepSettings.Stratum st = stratumNamed(c, first.stratum());
            for (String truth : GROUND_TRUTHS) {
                List<Point> g = group.stream()
                        .filter(p -> p.truths().containsKey(truth))
                        .toList();
                if (g.isEmpty()) {
                    continue;
                }
                List<String> metrics = TrialRows.METRICS.stream()
                        .filter(m -> g.stream().allMatch(p -> p.metrics().containsKey(m)))
                        .toList();
                double[] y = g.stream().mapToDouble(p -> p.truths().get(truth)).toArray();
                Map<String, double[]> x = new LinkedHashMap<>();
                for (String m : metrics) {
                    x.put(m, g.stream().mapToDouble(p -> p.metrics().get(m)).toArray());
                }
                long seed = TrialId.derivedSeed(c.experiment().seed(), first.digest(), first.stratum(), truth);
                StratumStatistics stats = new StratumStatistics(
                        v.confidence(), v.bootstrapSamples(), v.topFraction(), v.minSamples(), seed);
                StratumStatistics.Result r = stats.compute(y, x, pairs(metrics));
                double lo = g.stream().mapToDouble(Point::flopsRatio).min().orElse(Double.NaN);
                double hi = g.stream().mapToDouble(Point::flopsRatio).max().orElse(Double.NaN);
                strata.add(new StratumValidation(
                        first.model(),
                        first.digest(),
                        first.stratum(),
                        st == null ? Double.NaN : st.target(),
                        lo,
                        hi,
                        truth,
                        g.size(),
                        r.tooFew(),
                        r.metrics()));
                for (MetricComparison mc : r.comparisons()) {
                    comparisons.add(new ComparisonValidation(
                            first.model(),
                            first.digest(),
                            first.stratum(),
                            st == null ? Double.NaN : st.target(),
                            truth,
                            mc));
                }
            }
        }
        List<PickValidation> picks = new ArrayList<>();
        for (Row s : selections) {
            if ("ok".equals(s.getAs("status"))) {
                picks.add(pick(c, s, byId, samples));
            }
        }
        return new Result(strata, comparisons, picks, v.confidence(), seconds);
    }

    /** Later metrics in {@link TrialRows#METRICS} against earlier ones: A_m vs A_p, A_c vs A_p, A_c vs A_m, … */
    static List<StratumStatistics.MetricPair> pairs(List<String> metrics) {
        List<StratumStatistics.MetricPair> out = new ArrayList<>();
        for (int j = 1; j < metrics.size(); j++) {
            for (int i = 0; i < j; i++) {
                out.add(new StratumStatistics.MetricPair(metrics.get(j), metrics.get(i)));
            }
        }
        return out;
    }

    static SweepSettings.Stratum stratumNamed(JobConfig c, String label) {
        return c.sweep().strata().stream()
                .filter(st -> st.label().equals(label))
                .findFirst()
                .orElse(null);
    }

    static PickValidation pick(JobConfig c, Row s, Map<String, Point> byId, Map<String, List<Point>> samples) {
        String trialId = s.getAs("trial_id");
        Point p = trialId == null ? null : byId.get(trialId);
        double budget = s.<Double>getAs("budget");
        SweepSettings.Stratum st = c.sweep().stratumAt(budget);
        String digest = s.getAs("model_digest");
        List<Point> g = st == null ? List.of() : samples.getOrDefault(digest + "|" + st.label(), List.of());
        Double acc = p == null ? null : p.truths().get("accuracy");
        Double tuned = p == null ? null : p.truths().get("accuracy_finetuned");
        Double flops = s.getAs("flops_ratio");
        double cost = flops == null ? Double.NaN : flops;
        return new PickValidation(
                s.getAs("model"),
                digest,
                s.getAs("method"),
                budget,
                s.getAs("metric"),
                st == null ? null : st.label(),
                flops,
                acc,
                tuned,
                percentile(acc, g, "accuracy"),
                percentile(tuned, g, "accuracy_finetuned"),
                regret(cost, acc, g, "accuracy"),
                regret(cost, tuned, g, "accuracy_finetuned"),
                g.size(),
                trialId,
                s.getAs("search_seconds"),
                s.getAs("network_flops_ratio"),
                NamedRows.layerRanks(s));
    }

    /** The pick's percentile among the samples that have this ground truth; null when undefined. */
    private static Double percentile(Double accuracy, List<Point> g, String truth) {
        if (accuracy == null) {
            return null;
        }
        List<Point> with = withTruth(g, truth);
        return finiteOrNull(PickStanding.percentile(accuracy, truthOf(with, truth)));
    }

    /** The pick's regret against those samples costing at most {@code cost}; null when undefined. */
    private static Double regret(double cost, Double accuracy, List<Point> g, String truth) {
        if (accuracy == null) {
            return null;
        }
        List<Point> with = withTruth(g, truth);
        double[] costs = with.stream().mapToDouble(Point::flopsRatio).toArray();
        return finiteOrNull(PickStanding.regretAtOrBelow(cost, accuracy, costs, truthOf(with, truth)));
    }

    private static List<Point> withTruth(List<Point> g, String truth) {
        return g.stream().filter(q -> q.truths().containsKey(truth)).toList();
    }

    private static double[] truthOf(List<Point> g, String truth) {
        return g.stream().mapToDouble(q -> q.truths().get(truth)).toArray();
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
