package io.rankforge.jobs.validate;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.TrialId;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.TrialRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.Statistics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code validate}: does a metric rank configurations of equal cost the way ground truth does
 * (docs/method.md §8)? Per model, band and ground truth (test accuracy without fine-tuning, and after the
 * fixed fine-tuning where trials have it), for every metric: Spearman ρ and Pearson r (MLlib's
 * {@link Statistics#corr}), Kendall τ-b, seeded percentile-bootstrap intervals of ρ and τ, and the
 * regret of selecting by the metric. Per model, method and budget: the accuracy of the method's pick
 * and its regret against the best configuration of its band. One table, {@code validation}, with a
 * {@code kind} column: "metric" or "method".
 */
public final class ValidateJob {
    public static final List<String> TARGETS = List.of("accuracy", "accuracy_finetuned");

    public static final StructType SCHEMA = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("model_digest", DataTypes.StringType, false)
            .add("band", DataTypes.StringType, true)
            .add("band_low", DataTypes.DoubleType, true)
            .add("band_high", DataTypes.DoubleType, true)
            .add("target", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, true)
            .add("method", DataTypes.StringType, true)
            .add("budget", DataTypes.DoubleType, true)
            .add("trials", DataTypes.IntegerType, false)
            .add("spearman", DataTypes.DoubleType, true)
            .add("spearman_low", DataTypes.DoubleType, true)
            .add("spearman_high", DataTypes.DoubleType, true)
            .add("kendall", DataTypes.DoubleType, true)
            .add("kendall_low", DataTypes.DoubleType, true)
            .add("kendall_high", DataTypes.DoubleType, true)
            .add("pearson", DataTypes.DoubleType, true)
            .add("best_accuracy", DataTypes.DoubleType, true)
            .add("pick_accuracy", DataTypes.DoubleType, true)
            .add("regret", DataTypes.DoubleType, true)
            .add("accuracy", DataTypes.DoubleType, true)
            .add("accuracy_finetuned", DataTypes.DoubleType, true)
            .add("flops_ratio", DataTypes.DoubleType, true)
            .add("search_seconds", DataTypes.DoubleType, true)
            .add("trial_id", DataTypes.StringType, true);

    private ValidateJob() {}

    public record Result(List<Row> rows, double seconds) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("job", "validate");
            o.put("rows", rows.size());
            o.put("seconds", seconds);
            ArrayNode metrics = o.putArray("metrics");
            ArrayNode methods = o.putArray("methods");
            for (Row r : rows) {
                ObjectNode x = Json.object();
                for (int i = 1; i < SCHEMA.fields().length; i++) {
                    if (r.isNullAt(i)) {
                        continue;
                    }
                    Object v = r.get(i);
                    String name = SCHEMA.fields()[i].name();
                    if (v instanceof Double d) {
                        x.put(name, d);
                    } else if (v instanceof Integer n) {
                        x.put(name, n);
                    } else {
                        x.put(name, v.toString());
                    }
                }
                ("metric".equals(r.getString(0)) ? metrics : methods).add(x);
            }
            return o;
        }
    }

    /** A trial as the statistics see it. */
    record Point(
            String trialId,
            String model,
            String digest,
            String band,
            double low,
            double high,
            Map<String, Double> metrics,
            Map<String, Double> targets) {}

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
        Map<String, Point> byId = new HashMap<>();
        for (Row r : trials) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String k : TrialRows.METRICS) {
                Object v = r.getAs("metric_" + k);
                if (v != null) {
                    m.put(k, (Double) v);
                }
            }
            Map<String, Double> t = new LinkedHashMap<>();
            for (String k : TARGETS) {
                Object v = r.getAs(k);
                if (v != null) {
                    t.put(k, (Double) v);
                }
            }
            Object low = r.getAs("band_low"), high = r.getAs("band_high");
            Point p = new Point(
                    r.getAs("trial_id"),
                    r.getAs("model"),
                    r.getAs("model_digest"),
                    r.getAs("band"),
                    low == null ? Double.NaN : (Double) low,
                    high == null ? Double.NaN : (Double) high,
                    m,
                    t);
            points.add(p);
            byId.put(p.trialId(), p);
        }
        points.sort(Comparator.comparing(Point::trialId));
        ctx.progress().phase("validate", 0);

        List<Row> rows = new ArrayList<>();
        Map<String, List<Point>> groups = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.band() != null) {
                groups.computeIfAbsent(p.digest() + "|" + p.band(), k -> new ArrayList<>())
                        .add(p);
            }
        }
        for (List<Point> group : groups.values()) {
            for (String target : TARGETS) {
                List<Point> g = group.stream()
                        .filter(p -> p.targets().containsKey(target))
                        .toList();
                if (g.size() < 2) {
                    continue;
                }
                rows.addAll(metricRows(ctx, c, g, target));
            }
        }
        for (Row s : selections) {
            if ("ok".equals(s.getAs("status"))) {
                rows.add(methodRow(s, byId, groups));
            }
        }
        Result result = new Result(rows, (System.nanoTime() - t0) / 1e9);
        Tables.replace(ctx.spark(), ctx.store(), Tables.VALIDATION, SCHEMA, rows, record, result.toJson());
        ctx.progress()
                .note("validation: " + rows.size() + " rows -> " + ctx.store().table(Tables.VALIDATION));
        return result;
    }

    /** The statistics of every metric the trials of one band have, against one ground truth. */
    static List<Row> metricRows(JobContext ctx, JobConfig c, List<Point> g, String target) {
        Point first = g.get(0);
        List<String> metrics = TrialRows.METRICS.stream()
                .filter(m -> g.stream().allMatch(p -> p.metrics().containsKey(m)))
                .toList();
        int n = g.size();
        double[] y = new double[n];
        double[][] x = new double[metrics.size()][n];
        List<Vector> vectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Point p = g.get(i);
            y[i] = p.targets().get(target);
            double[] v = new double[metrics.size() + 1];
            v[0] = y[i];
            for (int k = 0; k < metrics.size(); k++) {
                v[k + 1] = x[k][i] = p.metrics().get(metrics.get(k));
            }
            vectors.add(Vectors.dense(v));
        }
        Matrix spearman = null, pearson = null;
        if (n >= 3 && !metrics.isEmpty()) {
            JavaRDD<Vector> rdd = ctx.jsc().parallelize(vectors, 1);
            spearman = Statistics.corr(rdd.rdd(), "spearman");
            pearson = Statistics.corr(rdd.rdd(), "pearson");
        }
        var v = c.validate();
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < metrics.size(); k++) {
            String metric = metrics.get(k);
            long seed = TrialId.derivedSeed(c.experiment().seed(), first.digest(), first.band(), target, metric);
            Double rho = spearman == null ? null : finite(spearman.apply(0, k + 1));
            Double r = pearson == null ? null : finite(pearson.apply(0, k + 1));
            Double tau = finite(RankCorrelation.kendall(x[k], y));
            Bootstrap.Interval ri =
                    Bootstrap.interval(x[k], y, RankCorrelation::spearman, v.bootstrapSamples(), v.confidence(), seed);
            Bootstrap.Interval ti = Bootstrap.interval(
                    x[k], y, RankCorrelation::kendall, v.bootstrapSamples(), v.confidence(), seed + 1);
            double[] regret = Regret.of(x[k], y);
            int pick = argMax(x[k]);
            rows.add(RowFactory.create(
                    "metric",
                    first.model(),
                    first.digest(),
                    first.band(),
                    first.low(),
                    first.high(),
                    target,
                    metric,
                    null,
                    null,
                    n,
                    rho,
                    finite(ri.low()),
                    finite(ri.high()),
                    tau,
                    finite(ti.low()),
                    finite(ti.high()),
                    r,
                    regret[0],
                    regret[1],
                    regret[2],
                    null,
                    null,
                    null,
                    null,
                    g.get(pick).trialId()));
        }
        return rows;
    }

    static Row methodRow(Row s, Map<String, Point> byId, Map<String, List<Point>> groups) {
        String trialId = s.getAs("trial_id");
        Point p = byId.get(trialId);
        Double acc = p == null ? null : p.targets().get("accuracy");
        Double tuned = p == null ? null : p.targets().get("accuracy_finetuned");
        Double best = null, regret = null;
        int n = 0;
        if (p != null && p.band() != null) {
            List<Point> band = groups.getOrDefault(p.digest() + "|" + p.band(), List.of());
            n = band.size();
            best = band.stream()
                    .map(q -> q.targets().get("accuracy"))
                    .filter(java.util.Objects::nonNull)
                    .max(Double::compare)
                    .orElse(null);
            if (best != null && acc != null) {
                regret = best - acc;
            }
        }
        return RowFactory.create(
                "method",
                s.getAs("model"),
                s.getAs("model_digest"),
                p == null ? null : p.band(),
                p == null || p.band() == null ? null : p.low(),
                p == null || p.band() == null ? null : p.high(),
                "accuracy",
                s.getAs("metric"),
                s.getAs("method"),
                s.getAs("budget"),
                n,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                best,
                acc,
                regret,
                acc,
                tuned,
                s.getAs("flops_ratio"),
                s.getAs("search_seconds"),
                trialId);
    }

    static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
