package io.rankforge.jobs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The leaderboard's three files: OUT/summary.json ({@code models}, {@code results}, {@code validation}),
 * OUT/leaderboard.md (its tables) and OUT/leaderboard/index.html with its figures. Each file is written to a
 * temporary name and renamed.
 */
final class Leaderboard {
    static final String RATIOS = "FLOPs and params ratios count the compressible layers (convolutions and dense "
            + "layers: MACs and weights after / before); network_flops_ratio the whole network";

    private Leaderboard() {}

    /** Writes the three files; returns the summary. */
    static ObjectNode write(
            Path out,
            List<TrainedZooModel> models,
            List<LeaderboardEntry> entries,
            BenchmarkSettings s,
            ObjectNode run,
            JsonNode validation,
            JsonNode reference) {
        ObjectNode summary = summary(models, entries, s, run, validation);
        summary.set("reference", reference);
        Path dir = out.resolve("leaderboard");
        summary.put("leaderboard_md", out.resolve("leaderboard.md").toString());
        summary.put("report", dir.resolve("index.html").toString());
        AtomicFiles.writeString(out.resolve("leaderboard.md"), markdown(models, entries, s, validation));
        List<LeaderboardValidation> rhos = LeaderboardValidation.of(validation);
        List<String> figures = LeaderboardCharts.drawAll(models, entries, rhos, dir);
        AtomicFiles.writeString(dir.resolve("index.html"), html(models, entries, s, figures, rhos, reference));
        // the summary last: its presence means the leaderboard beside it is complete
        AtomicFiles.writeString(out.resolve("summary.json"), Json.pretty(summary) + "\n");
        return summary;
    }

    static ObjectNode summary(
            List<TrainedZooModel> models,
            List<LeaderboardEntry> entries,
            BenchmarkSettings s,
            ObjectNode run,
            JsonNode validation) {
        ObjectNode o = Json.object();
        o.put("format", "rankforge-benchmark/1");
        o.put("dataset", s.job().data().dataset());
        o.put("test_images", models.isEmpty() ? 0 : models.get(0).testImages());
        o.put("fine_tune", s.describeFineTune());
        o.put("ratios", RATIOS);
        ArrayNode ms = o.putArray("models");
        for (TrainedZooModel m : models) {
            ObjectNode n = ms.addObject();
            n.put("model", m.id());
            n.put("file", s.modelUri(io.rankforge.zoo.ZooArchitecture.byId(m.id())));
            n.put("sha256", m.sha256());
            n.put("epochs", m.epochs());
            n.put("train_images", m.trainImages());
            putNumber(n, "test_accuracy", m.testAccuracy());
            n.put("train_seconds", round(m.trainSeconds(), 1));
            n.put("reused", m.reused());
            n.put("macs", m.macs());
            n.put("params", m.params());
        }
        ArrayNode rs = o.putArray("results");
        for (LeaderboardEntry e : entries) {
            ObjectNode n = rs.addObject();
            n.put("model", e.model());
            n.put("method", e.method());
            n.put("budget", e.budget());
            putNumber(n, "flops_ratio", e.flopsRatio());
            putNumber(n, "params_ratio", e.paramsRatio());
            putNumber(n, "network_flops_ratio", e.networkFlopsRatio());
            putNumber(n, "accuracy_original", e.accuracyOriginal());
            putNumber(n, "accuracy", e.accuracy());
            putNumber(n, "accuracy_finetuned", e.accuracyFinetuned());
            putNumber(n, "accuracy_finetuned_low", e.accuracyFinetunedLow());
            putNumber(n, "accuracy_finetuned_high", e.accuracyFinetunedHigh());
            putNumber(n, "latency_ms_b1", e.latencyMsB1());
            putNumber(n, "latency_original_ms_b1", e.latencyOriginalMsB1());
            n.put("seeds", e.seeds());
            n.put("failed", e.failed());
        }
        // the validation study's strata (rankforge.benchmark.validation), or [] when it was not run
        o.set("validation", validation.isArray() ? validation : Json.MAPPER.createArrayNode());
        o.set("run", run);
        return o;
    }

    static String markdown(
            List<TrainedZooModel> models, List<LeaderboardEntry> entries, BenchmarkSettings s, JsonNode validation) {
        StringBuilder b = new StringBuilder("# RankForge zoo leaderboard\n\n");
        b.append("Dataset ")
                .append(s.job().data().dataset())
                .append("; fine-tuning: ")
                .append(s.describeFineTune())
                .append(". ")
                .append(RATIOS)
                .append(". Accuracy intervals: 95% Student-t over fine-tuning seeds.\n\n");
        b.append(modelsTable(models).markdown()).append('\n');
        b.append(resultsTable(entries).markdown());
        List<LeaderboardValidation> rhos = LeaderboardValidation.of(validation);
        if (!rhos.isEmpty()) {
            b.append("\nValidation study: Spearman ρ of each metric with the ground truth over the random samples of "
                            + "each iso-cost stratum, with its bootstrap interval.\n\n")
                    .append(validationTable(rhos).markdown());
        }
        return b.toString();
    }

    static CellTable modelsTable(List<TrainedZooModel> models) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainedZooModel m : models) {
            rows.add(List.of(
                    m.id(),
                    f("%.4f", m.testAccuracy()),
                    String.valueOf(m.epochs()),
                    f("%,d", m.macs()),
                    f("%,d", m.params())));
        }
        return new CellTable(List.of("model", "test accuracy", "epochs", "MACs", "params"), rows);
    }

    /** One row per model, method and budget; by model, budget and rank. */
    static CellTable resultsTable(List<LeaderboardEntry> entries) {
        List<LeaderboardEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(LeaderboardEntry::model)
                .thenComparingDouble(LeaderboardEntry::budget)
                .thenComparing(e -> rank(e, entries)));
        List<List<String>> rows = new ArrayList<>();
        for (LeaderboardEntry e : sorted) {
            rows.add(List.of(
                    e.model(),
                    e.method(),
                    f("%.2f", e.budget()),
                    f("%.4f", e.flopsRatio()),
                    f("%.4f", e.paramsRatio()),
                    f("%.4f", e.accuracy()),
                    f("%.4f [%.4f, %.4f]", e.accuracyFinetuned(), e.accuracyFinetunedLow(), e.accuracyFinetunedHigh()),
                    f("%+.4f", e.drop()),
                    f("%.3f (%.3f)", e.latencyMsB1(), e.latencyOriginalMsB1()),
                    String.valueOf(rank(e, entries))));
        }
        return new CellTable(
                List.of(
                        "model",
                        "method",
                        "budget",
                        "FLOPs",
                        "params",
                        "accuracy (no fine-tuning)",
                        "accuracy fine-tuned [95% interval]",
                        "drop (original - fine-tuned)",
                        "latency b1 ms (original)",
                        "rank"),
                rows);
    }

    static CellTable validationTable(List<LeaderboardValidation> rhos) {
        List<List<String>> rows = new ArrayList<>();
        for (LeaderboardValidation v : rhos) {
            rows.add(
                    List.of(v.model(), v.stratum(), v.groundTruth(), v.metric(), String.valueOf(v.samples()), v.rho()));
        }
        return new CellTable(List.of("model", "stratum", "ground truth", "metric", "samples", "ρ [interval]"), rows);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** 1 = the highest fine-tuned accuracy among the methods of the same model and budget. */
    static int rank(LeaderboardEntry e, List<LeaderboardEntry> all) {
        int better = 0;
        for (LeaderboardEntry o : all) {
            if (o.model().equals(e.model())
                    && o.budget() == e.budget()
                    && o.accuracyFinetuned() > e.accuracyFinetuned()) {
                better++;
            }
        }
        return better + 1;
    }

    static String html(
            List<TrainedZooModel> models,
            List<LeaderboardEntry> entries,
            BenchmarkSettings s,
            List<String> figures,
            List<LeaderboardValidation> rhos,
            JsonNode reference) {
        StringBuilder b = new StringBuilder(
                "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>RankForge zoo leaderboard</title>\n"
                        + "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:"
                        + "collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "td:first-child,td:nth-child(2){text-align:left}img{max-width:100%}</style></head><body>\n");
        b.append("<h1>RankForge zoo leaderboard</h1>\n<p>Dataset ")
                .append(esc(s.job().data().dataset()))
                .append("; fine-tuning: ")
                .append(esc(s.describeFineTune()))
                .append(". ")
                .append(esc(RATIOS))
                .append(".</p>\n<h2>Figures</h2>\n");
        for (String f : figures) {
            b.append("<p><img src=\"")
                    .append(esc(f))
                    .append("\" alt=\"")
                    .append(esc(f))
                    .append("\"></p>\n");
        }
        b.append("<h2>Models</h2>\n").append(modelsTable(models).html());
        b.append("<h2>Results</h2>\n").append(resultsTable(entries).html());
        b.append("<h2>Validation study</h2>\n");
        if (rhos.isEmpty()) {
            b.append("<p>Not run (rankforge.benchmark.validation = false).</p>\n");
        } else {
            b.append("<p>Spearman ρ between each metric and the ground truth over the random samples of each iso-cost "
                    + "stratum (the methods' picks excluded), with its bootstrap interval; strata with too few samples "
                    + "show their count only.</p>\n");
            b.append(validationTable(rhos).html());
        }
        referenceSection(b, reference);
        b.append("</body></html>\n");
        return b.toString();
    }

    /** The paper's networks' selections as a section of the page (nothing when none was configured). */
    private static void referenceSection(StringBuilder b, JsonNode reference) {
        if (reference == null || reference.isEmpty()) {
            return;
        }
        b.append("<h2>The paper's networks (selection only)</h2>\n<p>Every method at every "
                + "budget on the ENC reference data (rankforge.benchmark.reference-profiles): costs and metric values "
                + "only, since that data holds no network to measure.</p>\n<table><tr><th>profile</th><th>method</th>"
                + "<th>budget</th><th>FLOPs</th><th>params</th><th>metric value</th><th>search s</th></tr>\n");
        for (JsonNode r : reference) {
            b.append("<tr><td>")
                    .append(esc(r.path("profile").asText()))
                    .append("</td><td>")
                    .append(esc(r.path("method").asText()))
                    .append(String.format(
                            Locale.ROOT, "</td><td>%.2f</td>", r.path("budget").asDouble()));
            if (r.has("failed")) {
                b.append("<td colspan=\"4\">")
                        .append(esc(r.path("failed").asText()))
                        .append("</td></tr>\n");
            } else {
                b.append(String.format(
                        Locale.ROOT,
                        "<td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td></tr>%n",
                        r.path("flops_ratio").asDouble(),
                        r.path("params_ratio").asDouble(),
                        r.path("metric_value").asDouble(),
                        r.path("search_seconds").asDouble()));
            }
        }
        b.append("</table>\n");
    }

    static Set<String> methods(List<LeaderboardEntry> entries) {
        Set<String> out = new LinkedHashSet<>();
        entries.forEach(e -> out.add(e.method()));
        return out;
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static String esc(String s) {
        return CellTable.esc(s);
    }
}
