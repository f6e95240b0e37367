package io.rankforge.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report renderer on its own: figures, HTML and summary from a study's numbers. The numbers are
 * generated here (this tests drawing and layout); the quickstart test checks a report of a real study.
 */
class ReportWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesFiguresTablesAndSummaryThatChromiumOpens() throws Exception {
        StudyResults r = generatedStudy();
        Path out = tmp.resolve("study");
        ObjectNode summary = ReportWriter.write(r, List.of(new PhaseTiming("train", 12.5, 20.1, false)), 20.0, out);

        Path index = out.resolve("report/index.html");
        keepForInspection(out);
        String html = Files.readString(index);
        assertTrue(html.contains("id=\"validation-table\""), "validation table missing");
        assertTrue(html.contains("id=\"methods-table\""), "methods table missing");
        assertFalse(html.contains("http://") || html.contains("https://"), "the report must not reference the network");
        // 2 metrics × 3 strata scatter plots, accuracy vs FLOPs (plain and fine-tuned), ranks for 3 budgets
        JsonNode figs = summary.get("figures");
        assertEquals(6 + 2 + 3, figs.size(), figs::toString);
        for (JsonNode f : figs) {
            Path png = out.resolve(f.asText());
            BufferedImage img = ImageIO.read(png.toFile());
            assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 100, "not a PNG image: " + png);
        }
        JsonNode onDisk = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(summary.get("layers"), onDisk.get("layers"));
        assertEquals(summary.get("figures"), onDisk.get("figures"));
        assertEquals(0.9, onDisk.get("confidence").asDouble(), 0, "the interval level is in the summary");
        assertTrue(html.contains("Spearman ρ [90% CI]"), "the interval level comes from the study, not a constant");
        assertFalse(html.contains("95%"), "no hard-coded 95% anywhere in the report");
        assertTrue(html.contains("too few samples"), "a stratum with too few samples says so instead of a number");
        assertTrue(html.contains("id=\"comparison-table\""), "paired comparisons of the metrics");
        assertEquals(
                500, onDisk.get("batch_norm_calibration_images").asInt(), "how trials were measured is in the summary");
        assertTrue(
                html.contains("re-estimated for every compressed network from 500 training images"),
                "and in the report");
        // the scatter's title carries ρ and its interval
        String title = MetricNames.label(r.validation().get(0).metric()) + " vs test accuracy, stratum "
                + r.validation().get(0).stratum();
        assertTrue(html.contains(title), "figure title missing: " + title);
        assertTrue(html.contains(Format.withInterval(
                r.validation().get(0).spearman(),
                r.validation().get(0).spearmanLow(),
                r.validation().get(0).spearmanHigh())));

        String dom = HeadlessChromium.dumpDom(index, tmp);
        HeadlessChromium.assertAllImagesLoaded(dom, 11);
        assertTrue(dom.contains("validation-table"));

        // a second write replaces the report whole, without leftovers
        ReportWriter.write(r, List.of(), 1.0, out);
        try (var s = Files.list(out)) {
            assertEquals(
                    List.of("report", "summary.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** -Drankforge.test.keep=DIR copies the report there, to look at it. */
    static void keepForInspection(Path out) throws java.io.IOException {
        String keep = System.getProperty("rankforge.test.keep");
        if (keep == null) {
            return;
        }
        Path dst = Path.of(keep, "report");
        Files.createDirectories(dst);
        try (var s = Files.list(out.resolve("report"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A small study with the shape of a real one: 6 layers, 3 bands, 3 methods × 3 budgets, 2 metrics. */
    private static StudyResults generatedStudy() {
        Random rnd = new Random(7);
        List<LayerBound> layers = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            layers.add(new LayerBound("conv" + i, i == 1 ? "channel" : "spatial", 10 * i, 12 * i));
        }
        List<Stratum> strata = List.of(
                new Stratum("25%", 0.245, 0.25), new Stratum("50%", 0.495, 0.5), new Stratum("75%", 0.745, 0.75));
        List<TrialPoint> trials = new ArrayList<>();
        for (Stratum b : strata) {
            for (int k = 0; k < 12; k++) {
                double ratio = b.low() + rnd.nextDouble() * (b.high() - b.low());
                double acc = 0.5 + 0.4 * ratio + 0.05 * rnd.nextGaussian();
                Map<String, Integer> ranks = new LinkedHashMap<>();
                for (LayerBound l : layers) {
                    ranks.put(l.name(), 1 + rnd.nextInt(l.rMax()));
                }
                trials.add(new TrialPoint(
                        b.label(),
                        "random",
                        ratio,
                        ratio * 0.9,
                        acc,
                        null,
                        Map.of("pca", acc + 0.1 * rnd.nextGaussian(), "measured", acc + 0.05 * rnd.nextGaussian()),
                        ranks));
            }
        }
        List<MethodPick> picks = new ArrayList<>();
        for (String m : List.of("enc-map", "enc-model", "uniform-rank")) {
            for (double budget : List.of(0.25, 0.5, 0.75)) {
                Map<String, Integer> ranks = new LinkedHashMap<>();
                for (LayerBound l : layers) {
                    ranks.put(l.name(), Math.max(1, (int)
                            Math.round(l.rMax() * budget * (0.6 + 0.8 * rnd.nextDouble()))));
                }
                picks.add(new MethodPick(
                        m,
                        budget,
                        budget * 0.99,
                        budget * 0.9,
                        0.6 + 0.3 * budget,
                        0.8 + 0.1 * budget,
                        0.01 * (1 + rnd.nextInt(50)),
                        strata.get((int) Math.round(budget * 4) - 1).label(),
                        100 * rnd.nextDouble(),
                        null,
                        0.01 * rnd.nextDouble(),
                        ranks,
                        null));
            }
        }
        List<ValidationRow> rows = new ArrayList<>();
        List<ComparisonRow> comparisons = new ArrayList<>();
        for (String metric : List.of("pca", "measured")) {
            for (Stratum b : strata) {
                double rho = rnd.nextDouble();
                boolean tooFew = b.label().equals("75%") && metric.equals("measured");
                rows.add(new ValidationRow(
                        metric,
                        b.label(),
                        b.target(),
                        b.low(),
                        b.high(),
                        "accuracy",
                        tooFew ? 3 : 12,
                        tooFew,
                        tooFew ? null : rho,
                        tooFew ? null : rho - 0.2,
                        tooFew ? null : Math.min(1, rho + 0.2),
                        tooFew ? null : rho * 0.8,
                        tooFew ? null : rho * 0.8 - 0.2,
                        tooFew ? null : rho * 0.8 + 0.1,
                        tooFew ? null : 0.7,
                        tooFew ? null : 0.5,
                        tooFew ? null : 0.01 * rnd.nextDouble(),
                        tooFew ? null : 0.0,
                        tooFew ? null : 0.02));
            }
        }
        for (Stratum b : strata) {
            comparisons.add(new ComparisonRow(b.label(), b.target(), "accuracy", "measured", "pca", 0.1, -0.05, 0.3));
        }
        ModelInfo model = new ModelInfo(
                "vgg-mini", "fashion-mnist", "/tmp/vgg-mini.zip", "ab".repeat(32), 0.91, 2000, 1.2e7, 1.3e7, 30, false);
        return new StudyResults(
                model,
                layers,
                strata,
                picks,
                rows,
                comparisons,
                0.9,
                trials,
                new SweepCounts(36, 36, 0, 0, 10),
                "1 epoch, lr 0.001, 5000 images",
                500);
    }
}
