package io.rankforge.jobs.report;

import io.rankforge.jobs.store.NamedRows;
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
        List<Stratum> strata = new ArrayList<>();
        for (Row r : rows(spark, base + "trials", model, "trial_id")) {
            if (!"ok".equals(r.getAs("status")) || r.isNullAt(r.fieldIndex("stratum"))) {
                continue;
            }
            String label = r.getAs("stratum");
            Stratum st = new Stratum(label, r.<Double>getAs("stratum_low"), r.<Double>getAs("stratum_high"));
            if (!strata.contains(st)) {
                strata.add(st);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String m : METRICS) {
                Double v = nullableDouble(r, "metric_" + m);
                if (v != null && Double.isFinite(v)) {
                    metrics.put(m, v);
                }
            }
            trials.add(new TrialPoint(
                    label,
                    r.getAs("source"),
                    r.<Double>getAs("flops_ratio"),
                    nullableDouble(r, "network_flops_ratio"),
                    r.<Double>getAs("accuracy"),
                    nullableDouble(r, "accuracy_finetuned"),
                    metrics,
                    NamedRows.layerRanks(r)));
        }
        strata.sort((a, b) -> Double.compare(a.low(), b.low()));

        List<Row> validation = rows(spark, base + "validation", model, null);
        Map<String, Row> pickRows = new HashMap<>();
        List<ValidationRow> metricRows = new ArrayList<>();
        List<ComparisonRow> comparisons = new ArrayList<>();
        double confidence = 0.95;
        for (Row r : validation) {
            confidence = r.<Double>getAs("confidence");
            String kind = r.getAs("kind");
            if ("pick".equals(kind)) {
                pickRows.put(r.getAs("method") + "@" + r.<Double>getAs("budget"), r);
            } else if ("metric".equals(kind)) {
                metricRows.add(new ValidationRow(
                        r.getAs("metric"),
                        r.getAs("stratum"),
                        r.<Double>getAs("target"),
                        nullableDouble(r, "cost_low"),
                        nullableDouble(r, "cost_high"),
                        r.getAs("ground_truth"),
                        r.<Integer>getAs("samples"),
                        r.<Boolean>getAs("too_few"),
                        nullableDouble(r, "spearman"),
                        nullableDouble(r, "spearman_low"),
                        nullableDouble(r, "spearman_high"),
                        nullableDouble(r, "kendall"),
                        nullableDouble(r, "kendall_low"),
                        nullableDouble(r, "kendall_high"),
                        nullableDouble(r, "concordance"),
                        nullableDouble(r, "top_k_precision"),
                        nullableDouble(r, "regret"),
                        nullableDouble(r, "regret_low"),
                        nullableDouble(r, "regret_high")));
            } else if ("comparison".equals(kind)) {
                comparisons.add(new ComparisonRow(
                        r.getAs("stratum"),
                        r.<Double>getAs("target"),
                        r.getAs("ground_truth"),
                        r.getAs("metric_a"),
                        r.getAs("metric_b"),
                        nullableDouble(r, "delta_spearman"),
                        nullableDouble(r, "low"),
                        nullableDouble(r, "high")));
            }
        }
        // metric order as in METRICS, then ground truth, then stratum: the table reads down one metric at a time
        metricRows.sort((a, b) -> {
            int c = Integer.compare(order(a.metric()), order(b.metric()));
            if (c != 0) {
                return c;
            }
            c = a.groundTruth().compareTo(b.groundTruth());
            return c != 0 ? c : Double.compare(a.target(), b.target());
        });
        comparisons.sort((a, b) -> {
            int c = a.groundTruth().compareTo(b.groundTruth());
            return c != 0 ? c : Double.compare(a.target(), b.target());
        });

        List<MethodPick> picks = new ArrayList<>();
        for (Row r : rows(spark, base + "selections", model, null)) {
            String method = r.getAs("method");
            double budget = r.<Double>getAs("budget");
            Map<String, Integer> ranks = NamedRows.layerRanks(r);
            String error = null;
            if (hasColumn(r, "status") && !"ok".equals(r.getAs("status"))) {
                error = hasColumn(r, "error") && !r.isNullAt(r.fieldIndex("error")) ? r.getAs("error") : "failed";
            }
            Row v = pickRows.get(method + "@" + budget);
            Double searchSeconds = nullableDouble(r, "search_seconds");
            picks.add(new MethodPick(
                    method,
                    budget,
                    nullableDouble(r, "flops_ratio"),
                    nullableDouble(r, "network_flops_ratio"),
                    v == null ? null : nullableDouble(v, "accuracy"),
                    v == null ? null : nullableDouble(v, "accuracy_finetuned"),
                    searchSeconds == null ? 0 : searchSeconds,
                    v == null || v.isNullAt(v.fieldIndex("stratum")) ? null : v.getAs("stratum"),
                    v == null ? null : nullableDouble(v, "percentile"),
                    v == null ? null : nullableDouble(v, "percentile_finetuned"),
                    v == null ? null : nullableDouble(v, "regret"),
                    ranks,
                    error));
        }
        picks.sort(java.util.Comparator.<MethodPick>comparingInt(
                        p -> methods.indexOf(p.method()) < 0 ? methods.size() : methods.indexOf(p.method()))
                .thenComparing(MethodPick::method)
                .thenComparingDouble(MethodPick::budget));
        return new StudyResults(
                info,
                layers,
                strata,
                picks,
                metricRows,
                comparisons,
                confidence,
                trials,
                sweep,
                fineTuning,
                calibrationImages);
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
