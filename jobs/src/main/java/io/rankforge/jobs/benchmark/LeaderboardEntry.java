package io.rankforge.jobs.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * One model × method × budget of the leaderboard: its compressions over every fine-tuning seed, summarised. Ratios
 * count the compressible layers (as every RankForge budget does; {@code networkFlopsRatio} the whole network).
 * {@code accuracyFinetunedLow/High} is the 95% Student-t interval of the mean over seeds (equal to the mean with
 * one seed), clipped to [0, 1]: with two seeds t is 12.7, and an accuracy's interval must not leave its range;
 * latency is the median over seeds of each task's median batch-1 forward pass.
 */
record LeaderboardEntry(
        String model,
        String method,
        double budget,
        int seeds,
        int failed,
        double flopsRatio,
        double paramsRatio,
        double networkFlopsRatio,
        double accuracyOriginal,
        double accuracy,
        double accuracyFinetuned,
        double accuracyFinetunedLow,
        double accuracyFinetunedHigh,
        double latencyOriginalMsB1,
        double latencyMsB1) {
    LeaderboardEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(method, "method");
    }

    /** Accuracy lost by compression and fine-tuning, in points of accuracy (original minus fine-tuned). */
    double drop() {
        return accuracyOriginal - accuracyFinetuned;
    }

    /** The rows of the benchmark table grouped by model, method and budget, in that order. */
    static List<LeaderboardEntry> of(List<Row> rows) {
        Map<String, List<Row>> groups = new TreeMap<>();
        for (Row r : rows) {
            String key = r.<String>getAs("model") + "\u0000" + r.<String>getAs("method") + "\u0000"
                    + String.format(java.util.Locale.ROOT, "%08.5f", r.<Double>getAs("budget"));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<LeaderboardEntry> out = new ArrayList<>();
        for (List<Row> g : groups.values()) {
            out.add(summarise(g));
        }
        return out;
    }

    private static LeaderboardEntry summarise(List<Row> g) {
        Row first = g.get(0);
        List<Row> ok = g.stream().filter(r -> "ok".equals(r.getAs("status"))).toList();
        double[] tuned = values(ok, "accuracy_finetuned");
        double mean = mean(tuned);
        double half = halfWidth(tuned);
        Row any = ok.isEmpty() ? null : ok.get(0);
        return new LeaderboardEntry(
                first.getAs("model"),
                first.getAs("method"),
                first.<Double>getAs("budget"),
                ok.size(),
                g.size() - ok.size(),
                any == null ? Double.NaN : value(any, "flops_ratio"),
                any == null ? Double.NaN : value(any, "params_ratio"),
                any == null ? Double.NaN : value(any, "network_flops_ratio"),
                mean(values(ok, "accuracy_original")),
                mean(values(ok, "accuracy")),
                mean,
                Math.max(0, mean - half),
                Math.min(1, mean + half),
                median(values(ok, "latency_original_ms_b1")),
                median(values(ok, "latency_ms_b1")));
    }

    private static double value(Row r, String field) {
        Object v = r.getAs(field);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    private static double[] values(List<Row> rows, String field) {
        return rows.stream()
                .mapToDouble(r -> value(r, field))
                .filter(v -> !Double.isNaN(v))
                .toArray();
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Half-width of the 95% Student-t interval of the mean; 0 for fewer than two values. */
    static double halfWidth(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v), ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double sd = Math.sqrt(ss / (v.length - 1));
        return tQuantile975(v.length - 1) * sd / Math.sqrt(v.length);
    }

    /** The 0.975 quantile of Student's t with {@code df} degrees of freedom (tabulated to 30, then 1.96). */
    static double tQuantile975(int df) {
        double[] t = {
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
        };
        return df >= 1 && df <= t.length ? t[df - 1] : 1.96;
    }
}
