package io.rankforge.jobs.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads one model's study back from the jobs' Parquet tables (docs/results.md) into what the report
 * shows: the profile's layers, every method's pick joined with its trial's accuracies, the metric
 * validation rows and the sweep's successful trials.
 */
public final class ResultsReader {
    /** The metric columns of the trials and selections tables, in the order the report shows them. */
    public static final List<String> METRICS = List.of("pca", "measured", "combined", "frobenius", "nuclear");

    private ResultsReader() {}

    /**
     * @param output      the experiment's output folder (local path or Hadoop URI)
     * @param model       the model's name in the tables (its file name without extension)
     * @param trained     name, dataset, path, digest, test accuracy and training time of the model
     * @param sweep       what the sweep did in this run
     * @param fineTuning  description of the fine-tuning, "" when off
     * @param calibrationImages images that re-estimated batch-norm statistics before each measurement (0 = none)
     * @param methods     the configured methods, in the order the report lists them
     */
    public static StudyResults read(
            SparkSession spark,
            String output,
            String model,
            ModelInfo trained,
            SweepCounts sweep,
            String fineTuning,
            int calibrationImages,
            List<String> methods) {
        Objects.requireNonNull(trained, "trained");
        String base = output.endsWith("/") ? output : output + "/";
        List<Row> profile = rows(spark, base + "profiles", model, "layer_index");
        List<LayerBound> layers = new ArrayList<>();
        double compressibleMacs = 0, networkMacs = 0;
        for (Row r : profile) {
            layers.add(new LayerBound(
                    r.getAs("layer"), r.getAs("scheme"), r.<Integer>getAs("r_max"), r.<Integer>getAs("full_rank")));
            compressibleMacs += r.<Double>getAs("original_macs");
            networkMacs = r.<Double>getAs("network_macs");
        }
        ModelInfo info = new ModelInfo(
                trained.name(),
                trained.dataset(),
                trained.path(),
                trained.sha256(),
                trained.testAccuracy(),
                trained.testImages(),
                compressibleMacs,
                networkMacs,
                trained.trainSeconds(),
                trained.reused());

        List<TrialPoint> trials = new ArrayList<>();
        Map<String, Row> trialById = new HashMap<>();
        List<Band> bands = new ArrayList<>();
        for (Row r : rows(spark, base + "trials", model, "trial_id")) {
            trialById.put(r.getAs("trial_id"), r);
            if (!"ok".equals(r.getAs("status")) || r.isNullAt(r.fieldIndex("band"))) {
                continue;
            }
            String band = r.getAs("band");
            Band b = new Band(band, r.<Double>getAs("band_low"), r.<Double>getAs("band_high"));
            if (!bands.contains(b)) {
                bands.add(b);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String m : METRICS) {
                Double v = nullableDouble(r, "metric_" + m);
                if (v != null && Double.isFinite(v)) {
                    metrics.put(m, v);
                }
            }
            trials.add(new TrialPoint(
                    band,
                    r.getAs("source"),
                    r.<Double>getAs("flops_ratio"),
                    nullableDouble(r, "network_flops_ratio"),
                    r.<Double>getAs("accuracy"),
                    nullableDouble(r, "accuracy_finetuned"),
                    metrics));
        }
        bands.sort((a, b) -> Double.compare(a.low(), b.low()));

        List<Row> validation = rows(spark, base + "validation", model, null);
        Map<String, Row> methodRows = new HashMap<>();
        List<ValidationRow> metricRows = new ArrayList<>();
        for (Row r : validation) {
            if ("method".equals(r.getAs("kind"))) {
                methodRows.put(r.getAs("method") + "@" + r.<Double>getAs("budget"), r);
            } else if ("metric".equals(r.getAs("kind"))) {
                metricRows.add(new ValidationRow(
                        r.getAs("metric"),
                        r.getAs("band"),
                        r.getAs("target"),
                        r.<Integer>getAs("trials"),
                        nullableDouble(r, "spearman"),
                        nullableDouble(r, "spearman_low"),
                        nullableDouble(r, "spearman_high"),
                        nullableDouble(r, "kendall"),
                        nullableDouble(r, "kendall_low"),
                        nullableDouble(r, "kendall_high"),
                        nullableDouble(r, "pearson"),
                        nullableDouble(r, "regret")));
            }
        }
        // metric order as in METRICS, then band, then target: the table reads down one metric at a time
        metricRows.sort((a, b) -> {
            int c = Integer.compare(order(a.metric()), order(b.metric()));
            if (c != 0) {
                return c;
            }
            c = a.target().compareTo(b.target());
            return c != 0 ? c : a.band().compareTo(b.band());
        });

        List<MethodPick> picks = new ArrayList<>();
        for (Row r : rows(spark, base + "selections", model, null)) {
            // (spark helper) a method that found nothing at a budget is stored with status "failed" and no ranks
            if (r.schema().getFieldIndex("status").isDefined() && !"ok".equals(r.getAs("status"))) {
                continue;
            }
            String method = r.getAs("method");
            double budget = r.<Double>getAs("budget");
            Map<String, Integer> ranks = new LinkedHashMap<>();
            if (!r.isNullAt(r.fieldIndex("layers")) && !r.isNullAt(r.fieldIndex("ranks"))) {
                List<String> names = r.getList(r.fieldIndex("layers"));
                List<Integer> values = r.getList(r.fieldIndex("ranks"));
                for (int i = 0; i < names.size(); i++) {
                    ranks.put(names.get(i), values.get(i));
                }
            }
            Row trial = r.isNullAt(r.fieldIndex("trial_id")) ? null : trialById.get(r.<String>getAs("trial_id"));
            Row v = methodRows.get(method + "@" + budget);
            Double acc = trial != null && "ok".equals(trial.getAs("status")) ? nullableDouble(trial, "accuracy") : null;
            Double accFt = trial != null && "ok".equals(trial.getAs("status"))
                    ? nullableDouble(trial, "accuracy_finetuned")
                    : null;
            String error = null;
            if (hasColumn(r, "status") && !"ok".equals(r.getAs("status"))) {
                error = hasColumn(r, "error") && !r.isNullAt(r.fieldIndex("error")) ? r.getAs("error") : "failed";
            }
            Double searchSeconds = nullableDouble(r, "search_seconds");
            picks.add(new MethodPick(
                    method,
                    budget,
                    nullableDouble(r, "flops_ratio"),
                    nullableDouble(r, "network_flops_ratio"),
                    acc,
                    accFt,
                    searchSeconds == null ? 0 : searchSeconds,
                    v == null || v.isNullAt(v.fieldIndex("band")) ? null : v.getAs("band"),
                    v == null ? null : nullableDouble(v, "regret"),
                    ranks,
                    error));
        }
        picks.sort(java.util.Comparator.<MethodPick>comparingInt(
                        p -> methods.indexOf(p.method()) < 0 ? methods.size() : methods.indexOf(p.method()))
                .thenComparing(MethodPick::method)
                .thenComparingDouble(MethodPick::budget));
        return new StudyResults(info, layers, bands, picks, metricRows, trials, sweep, fineTuning, calibrationImages);
    }

    private static int order(String metric) {
        int i = METRICS.indexOf(metric);
        return i < 0 ? METRICS.size() : i;
    }

    private static List<Row> rows(SparkSession spark, String path, String model, String orderBy) {
        Dataset<Row> d = spark.read().parquet(path).where(functions.col("model").equalTo(model));
        if (orderBy != null) {
            d = d.orderBy(orderBy);
        }
        return d.collectAsList();
    }

    private static boolean hasColumn(Row r, String column) {
        return java.util.Arrays.asList(r.schema().fieldNames()).contains(column);
    }

    private static Double nullableDouble(Row r, String column) {
        int i = r.fieldIndex(column);
        if (r.isNullAt(i)) {
            return null;
        }
        Object o = r.get(i);
        return o instanceof Number n ? n.doubleValue() : null;
    }
}
