package io.rankforge.jobs.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The leaderboard's figures (PNG, JFreeChart, as the study report draws them): per model, accuracy drop after
 * fine-tuning against the FLOPs ratio with every method (bars: the interval over seeds); the rank of each method
 * per model and budget; and, per ground truth of the validation study, each metric's Spearman ρ per model and
 * iso-cost stratum with its bootstrap interval.
 */
final class LeaderboardCharts {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;

    private LeaderboardCharts() {}

    /** Draws every figure into {@code dir}; returns their file names, in order. */
    static List<String> drawAll(
            List<TrainedZooModel> models, List<LeaderboardEntry> entries, List<LeaderboardValidation> rhos, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<String> files = new ArrayList<>();
        for (TrainedZooModel m : models) {
            files.add(dropVsFlops(m.id(), entries, dir));
        }
        files.add(ranks(entries, dir));
        for (String groundTruth :
                rhos.stream().map(LeaderboardValidation::groundTruth).distinct().toList()) {
            rho(rhos, groundTruth, dir).ifPresent(files::add);
        }
        return files;
    }

    /**
     * ρ per (model, stratum) column for every metric, its interval as the bar, 0 marked; strata with too few samples
     * (or no ρ) are left out. Empty when no stratum of this ground truth has a ρ.
     */
    static Optional<String> rho(List<LeaderboardValidation> rhos, String groundTruth, Path dir) {
        List<LeaderboardValidation> shown = rhos.stream()
                .filter(v -> v.groundTruth().equals(groundTruth) && !v.tooFew() && v.spearman() != null)
                .toList();
        if (shown.isEmpty()) {
            return Optional.empty();
        }
        List<String> columns = shown.stream()
                .map(v -> v.model() + " @ " + v.stratum())
                .distinct()
                .toList();
        List<String> metrics =
                shown.stream().map(LeaderboardValidation::metric).distinct().toList();
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (int m = 0; m < metrics.size(); m++) {
            YIntervalSeries series = new YIntervalSeries(metrics.get(m));
            // metrics side by side within a column, so that their bars do not hide each other
            double offset = metrics.size() == 1 ? 0 : 0.3 * (m / (metrics.size() - 1.0) - 0.5);
            for (LeaderboardValidation v : shown) {
                if (v.metric().equals(metrics.get(m))) {
                    double lo = v.low() == null ? v.spearman() : v.low();
                    double hi = v.high() == null ? v.spearman() : v.high();
                    series.add(columns.indexOf(v.model() + " @ " + v.stratum()) + offset, v.spearman(), lo, hi);
                }
            }
            data.addSeries(series);
        }
        SymbolAxis x = new SymbolAxis("model @ iso-cost stratum (FLOPs ratio)", columns.toArray(String[]::new));
        x.setVerticalTickLabels(columns.size() > 6);
        NumberAxis y = new NumberAxis("Spearman ρ (metric vs " + groundTruth + ")");
        y.setRange(-1.05, 1.05);
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(false);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.addRangeMarker(new ValueMarker(0.0, Color.DARK_GRAY, new BasicStroke(1f)));
        String file = "rho-" + groundTruth.replaceAll("[^A-Za-z0-9-]", "_") + ".png";
        save(new JFreeChart("ρ(metric, " + groundTruth + ") per model and stratum", plot), dir.resolve(file));
        return Optional.of(file);
    }

    static String dropVsFlops(String model, List<LeaderboardEntry> entries, Path dir) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String method : Leaderboard.methods(entries)) {
            YIntervalSeries s = new YIntervalSeries(method);
            for (LeaderboardEntry e : entries) {
                if (e.model().equals(model) && e.method().equals(method) && !Double.isNaN(e.accuracyFinetuned())) {
                    double orig = e.accuracyOriginal();
                    s.add(
                            e.flopsRatio(),
                            orig - e.accuracyFinetuned(),
                            orig - e.accuracyFinetunedHigh(),
                            orig - e.accuracyFinetunedLow());
                }
            }
            data.addSeries(s);
        }
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        NumberAxis x = new NumberAxis("FLOPs ratio (compressible layers)");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("accuracy drop after fine-tuning (original - fine-tuned)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String file = "drop-vs-flops-" + model.replaceAll("[^A-Za-z0-9-]", "_") + ".png";
        save(new JFreeChart(model + ": accuracy drop vs FLOPs, every method", plot), dir.resolve(file));
        return file;
    }

    static String ranks(List<LeaderboardEntry> entries, Path dir) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (LeaderboardEntry e : entries) {
            String column = String.format(Locale.ROOT, "%s @ %.2f", e.model(), e.budget());
            data.addValue(Leaderboard.rank(e, entries), e.method(), column);
        }
        NumberAxis y = new NumberAxis("rank by fine-tuned accuracy (1 = best)");
        y.setInverted(true);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CategoryPlot plot = new CategoryPlot(
                data,
                new org.jfree.chart.axis.CategoryAxis("model @ budget"),
                y,
                new LineAndShapeRenderer(false, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String file = "method-ranks.png";
        save(new JFreeChart("Rank of each method per model and budget", plot), dir.resolve(file));
        return file;
    }

    private static void save(JFreeChart chart, Path file) {
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + file + ": " + e.getMessage(), e);
        }
    }
}
