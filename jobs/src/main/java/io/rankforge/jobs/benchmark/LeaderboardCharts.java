package io.rankforge.jobs.benchmark;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The leaderboard's figures (PNG, JFreeChart, as the study report draws them): per model, accuracy drop after
 * fine-tuning against the FLOPs ratio with every method (bars: the interval over seeds); and the rank of each method
 * per model and budget.
 */
final class LeaderboardCharts {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;

    private LeaderboardCharts() {}

    /** Draws every figure into {@code dir}; returns their file names, in order. */
    static List<String> drawAll(List<TrainedZooModel> models, List<LeaderboardEntry> entries, Path dir) {
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
        return files;
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
