package io.rankforge.jobs.report;

import java.util.List;

/**
 * The report page: one self-contained HTML file (inline CSS, no scripts or fonts from the network)
 * that shows the figures beside it by relative links and the validation tables.
 */
final class HtmlReport {
    private HtmlReport() {}

    static String render(
            StudyResults r,
            List<Figure> figures,
            List<PhaseTiming> phases,
            double totalSeconds,
            String commit,
            String createdAt) {
        StringBuilder h = new StringBuilder(32_000);
        ModelInfo m = r.model();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>RankForge study: ")
                .append(esc(m.name()))
                .append(" on ")
                .append(esc(m.dataset()))
                .append("</title>\n")
                .append("<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>RankForge study: ")
                .append(esc(m.name()))
                .append(" on ")
                .append(esc(m.dataset()))
                .append("</h1>\n");
        h.append("<p class=\"lead\">Does the single-shot metric pick what the ground truth would "
                        + "pick? Sampled rank configurations of ")
                .append(esc(m.name()))
                .append(", drawn uniformly inside ")
                .append(r.strata().size())
                .append(" iso-cost strata (each a narrow FLOPs window below its target, so that cost cannot "
                        + "explain the correlations), were decomposed and evaluated on the test split; the metrics "
                        + "were computed from the held-out split only. ")
                .append("Every FLOPs ratio below counts the <b>compressible layers</b> (convolutions and "
                        + "dense layers) unless it says <b>whole network</b>.</p>\n");

        h.append("<table class=\"facts\">\n");
        fact(
                h,
                "model",
                esc(m.name()) + " (" + esc(shortDigest(m.sha256()))
                        + (m.reused() ? ", reused from a previous run" : ", trained in this run") + ")");
        fact(
                h,
                "test accuracy (uncompressed)",
                Format.num(m.testAccuracy(), 4) + " on the first "
                        + String.format(java.util.Locale.ROOT, "%,d", m.testImages())
                        + " test images (those every trial is measured on)");
        fact(
                h,
                "MACs per image",
                String.format(
                        java.util.Locale.ROOT,
                        "%,.0f compressible layers / %s whole network",
                        m.compressibleMacs(),
                        m.networkMacs() > 0 ? String.format(java.util.Locale.ROOT, "%,.0f", m.networkMacs()) : "–"));
        fact(h, "compressible layers", String.valueOf(r.layers().size()));
        fact(
                h,
                "sweep",
                r.sweep().trialsTotal() + " trials in the table (" + r.sweep().trialsRun() + " run now, "
                        + r.sweep().trialsSkipped() + " found stored, "
                        + r.sweep().trialsFailed() + " failed)");
        fact(h, "fine-tuning of each method's pick", r.fineTuning().isEmpty() ? "off" : esc(r.fineTuning()));
        fact(
                h,
                "batch-norm statistics",
                r.calibrationImages() == 0
                        ? "as trained (not re-estimated after decomposition)"
                        : "re-estimated for every compressed network from "
                                + String.format(java.util.Locale.ROOT, "%,d", r.calibrationImages())
                                + " training images before it was measured (no training; "
                                + "rankforge.data.calibration-images)");
        fact(h, "total time", Format.num(totalSeconds, 1) + " s");
        fact(h, "code", esc(commit) + ", " + esc(createdAt));
        h.append("</table>\n");

        h.append("<section id=\"validation\">\n<h2>Validation</h2>\n");
        h.append("<p>Per metric, stratum and ground truth, over the stratum's <b>random samples only</b> (the "
                        + "methods' picks never enter these statistics): rank agreement between the metric and "
                        + "test accuracy (Spearman ρ, Kendall τ-b, pairwise concordance, top-k precision with k "
                        + "the top fraction rankforge.validate.top-fraction of the samples)")
                .append(" and the regret of selecting by the metric (best accuracy in the stratum "
                        + "minus that of the metric's top sample), with seeded bootstrap ")
                .append(esc(r.level()))
                .append(" intervals. A stratum with fewer samples than the configured minimum shows "
                        + "\"too few\".</p>\n");
        validationTable(h, r);
        h.append("<h3>Which metric orders configurations better</h3>\n<p>Δρ = ρ(A) − ρ(B) on the same "
                        + "samples, with a paired bootstrap ")
                .append(esc(r.level()))
                .append(" interval: an interval above 0 says A orders the stratum better than B.</p>\n");
        comparisonTable(h, r);
        h.append("<h3>Methods at each budget</h3>\n<p>Each pick against the random samples of the stratum at "
                + "its budget: its accuracy's percentile among them, and its regret against the best sample "
                + "that costs no more than the pick.</p>\n");
        methodTable(h, r.picks());
        h.append("</section>\n");

        section(
                h,
                "figures-metrics",
                "Metric vs ground truth",
                "metrics",
                figures,
                "Each point is one random sample of the stratum (squares: the methods' picks at its budget, "
                        + "which are not part of the correlation).");
        section(
                h,
                "figures-methods",
                "Accuracy vs FLOPs",
                "methods",
                figures,
                "Grey: sampled configurations without fine-tuning. Coloured: each method's pick at each budget.");
        section(
                h,
                "figures-ranks",
                "Ranks per layer",
                "ranks",
                figures,
                "The rank each method chose for every compressible layer, against r_max (dashed), the "
                        + "parameter-neutral rank; grey: the lowest and highest rank the stratum's random samples "
                        + "gave the layer (the sampler's coverage).");

        h.append("<section id=\"timing\">\n<h2>Time</h2>\n<table "
                + "class=\"data\"><thead><tr><th>phase</th><th>seconds</th><th>CPU "
                + "seconds</th><th>reused</th></tr></thead><tbody>\n");
        for (PhaseTiming p : phases) {
            h.append("<tr><td>")
                    .append(esc(p.phase()))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.seconds(), 1))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.cpuSeconds(), 1))
                    .append("</td><td>")
                    .append(p.reused() ? "yes" : "no")
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</section>\n");
        h.append("<p class=\"foot\">Numbers: <a href=\"../summary.json\">summary.json</a>. Tables: "
                        + "the study's Parquet folders and ")
                .append("the trials' Arrow file beside this report's folder; the notebook in notebooks/ "
                        + "redraws these figures from them.</p>\n");
        h.append(IMAGE_CHECK);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void validationTable(StringBuilder h, StudyResults r) {
        String ci = " [" + esc(r.level()) + " CI]";
        h.append("<table class=\"data\" id=\"validation-table\"><thead><tr><th>metric</th><th>stratum "
                        + "(FLOPs, compressible layers)</th>")
                .append("<th>ground truth</th><th>n</th><th>Spearman ρ" + ci + "</th><th>Kendall τ" + ci
                        + "</th><th>concordance</th><th>top-k precision</th><th>regret" + ci
                        + "</th></tr></thead><tbody>\n");
        for (ValidationRow v : r.validation()) {
            h.append("<tr><td>")
                    .append(esc(MetricNames.label(v.metric())))
                    .append("</td><td>")
                    .append(esc(v.stratum()))
                    .append(
                            v.costLow() == null
                                    ? ""
                                    : " (" + Format.num(v.costLow(), 4) + "–" + Format.num(v.costHigh(), 4) + ")")
                    .append("</td><td>")
                    .append(v.groundTruth().equals("accuracy") ? "no fine-tuning" : "fine-tuned")
                    .append("</td><td class=\"n\">")
                    .append(v.samples());
            if (v.tooFew()) {
                h.append("</td><td colspan=\"5\">too few samples</td></tr>\n");
                continue;
            }
            h.append("</td><td class=\"n\">")
                    .append(Format.withInterval(v.spearman(), v.spearmanLow(), v.spearmanHigh()))
                    .append("</td><td class=\"n\">")
                    .append(Format.withInterval(v.kendall(), v.kendallLow(), v.kendallHigh()))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(v.concordance(), 2))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(v.topKPrecision(), 2))
                    .append("</td><td class=\"n\">")
                    .append(Format.withInterval(v.regret(), v.regretLow(), v.regretHigh()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void comparisonTable(StringBuilder h, StudyResults r) {
        h.append("<table class=\"data\" id=\"comparison-table\"><thead><tr><th>stratum</th><th>ground truth"
                        + "</th><th>A</th><th>B</th><th>Δρ [")
                .append(esc(r.level()))
                .append(" CI]</th></tr></thead><tbody>\n");
        for (ComparisonRow c : r.comparisons()) {
            h.append("<tr><td>")
                    .append(esc(c.stratum()))
                    .append("</td><td>")
                    .append(c.groundTruth().equals("accuracy") ? "no fine-tuning" : "fine-tuned")
                    .append("</td><td>")
                    .append(esc(MetricNames.label(c.metricA())))
                    .append("</td><td>")
                    .append(esc(MetricNames.label(c.metricB())))
                    .append("</td><td class=\"n\">")
                    .append(Format.withInterval(c.deltaSpearman(), c.low(), c.high()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void methodTable(StringBuilder h, List<MethodPick> picks) {
        h.append("<table class=\"data\" id=\"methods-table\"><thead><tr><th>method</th><th>budget "
                        + "(FLOPs, compressible layers)</th>")
                .append("<th>FLOPs ratio, compressible layers</th><th>FLOPs ratio, whole "
                        + "network</th><th>accuracy, no fine-tuning</th>")
                .append("<th>accuracy, fine-tuned</th><th>percentile among samples</th><th>percentile, "
                        + "fine-tuned</th><th>regret vs samples costing no more</th><th>search time "
                        + "(s)</th></tr></thead><tbody>\n");
        for (MethodPick p : picks) {
            if (p.error() != null) {
                h.append("<tr><td>")
                        .append(esc(p.method()))
                        .append("</td><td class=\"n\">")
                        .append(Format.pct(p.budget()))
                        .append("</td><td colspan=\"8\">found nothing at this budget: ")
                        .append(esc(p.error()))
                        .append("</td><td class=\"n\">")
                        .append(Format.num(p.searchSeconds(), 3))
                        .append("</td></tr>\n");
                continue;
            }
            h.append("<tr><td>")
                    .append(esc(p.method()))
                    .append("</td><td class=\"n\">")
                    .append(Format.pct(p.budget()))
                    .append("</td><td class=\"n\">")
                    .append(Format.pct1(p.flopsRatioCompressible()))
                    .append("</td><td class=\"n\">")
                    .append(Format.pct1(p.flopsRatioNetwork()))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.accuracy(), 4))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.accuracyFineTuned(), 4))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.percentile(), 0))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.percentileFineTuned(), 0))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.regret(), 4))
                    .append("</td><td class=\"n\">")
                    .append(Format.num(p.searchSeconds(), 3))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void section(
            StringBuilder h, String id, String heading, String kind, List<Figure> figures, String note) {
        h.append("<section id=\"")
                .append(id)
                .append("\">\n<h2>")
                .append(esc(heading))
                .append("</h2>\n<p>")
                .append(esc(note))
                .append("</p>\n<div class=\"grid\">\n");
        for (Figure f : figures) {
            if (!f.section().equals(kind)) {
                continue;
            }
            h.append("<figure><img src=\"")
                    .append(esc(f.file()))
                    .append("\" alt=\"")
                    .append(esc(f.title()))
                    .append("\"><figcaption>")
                    .append(esc(f.title()))
                    .append("</figcaption></figure>\n");
        }
        h.append("</div>\n</section>\n");
    }

    private static void fact(StringBuilder h, String name, String valueHtml) {
        h.append("<tr><th>")
                .append(esc(name))
                .append("</th><td>")
                .append(valueHtml)
                .append("</td></tr>\n");
    }

    private static String shortDigest(String sha) {
        return sha.length() > 12 ? "sha256 " + sha.substring(0, 12) + "…" : sha;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body { font-family: sans-serif; margin: 2em auto; max-width: 1600px; color: #222; padding: 0 1em; }
            h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
            .lead { max-width: 60em; }
            table { border-collapse: collapse; margin: .5em 0 1em; }
            table.facts th { text-align: left; padding: .15em 1em .15em 0; font-weight: normal; color: #555; }
            table.data th, table.data td { border: 1px solid #ddd; padding: .25em .6em; }
            table.data th { background: #f3f3f3; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .grid { display: flex; flex-wrap: wrap; gap: 1em; }
            figure { margin: 0; width: 760px; max-width: 100%; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            #figures-metrics figure { width: 520px; }
            figcaption { font-size: .85em; color: #555; }
            .foot { color: #666; font-size: .9em; margin-top: 2em; }
            """;

    /**
     * Marks on the body how many images loaded (naturalWidth > 0) once the page has loaded: a test
     * reads these attributes back from headless Chromium's DOM. Offline, no external script.
     */
    private static final String IMAGE_CHECK = """
            <script>
            (function () {
              function mark() {
                var imgs = document.images, ok = 0;
                for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
                document.body.setAttribute('data-images-total', String(imgs.length));
                document.body.setAttribute('data-images-loaded', String(ok));
              }
              if (document.readyState === 'complete') mark(); else window.addEventListener('load', mark);
            })();
            </script>
            """;
}
