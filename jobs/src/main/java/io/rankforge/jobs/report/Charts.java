package io.rankforge.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's figures, drawn with JFreeChart into PNG files. Needs no display when the process runs headless:
 * {@code Main.main} sets {@code java.awt.headless} where the process starts, and the tests' JVMs get it from
 * surefire; this class does not change the global property itself.
 * Every axis that shows a FLOPs ratio says which FLOPs it counts.
 */
public final class Charts {
    static final String FLOPS_AXIS = "FLOPs ratio (compressible layers: MACs after / before)";
    private static final int WIDTH = 760;
    private static final int HEIGHT = 480;
    static final int SMALL_WIDTH = 520;
    static final int SMALL_HEIGHT = 420;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0xbcbd22), new Color(0x7f7f7f)
    };
    /** Distinct marker shapes, so that methods whose picks coincide stay distinguishable. */
    private static final Shape[] SHAPES = DefaultDrawingSupplier.createStandardSeriesShapes();

    private static final Color SAMPLED = new Color(150, 150, 150, 150);

    private Charts() {}

    /** Draws every figure of the study into {@code dir} and returns them in report order. */
    public static List<Figure> drawAll(StudyResults r, Path dir) {
        List<Figure> out = new ArrayList<>();
        for (String metric : r.metrics()) {
            for (Stratum stratum : r.strata()) {
                ValidationRow row = r.validation().stream()
                        .filter(v -> v.metric().equals(metric)
                                && v.stratum().equals(stratum.label())
                                && v.groundTruth().equals("accuracy"))
                        .findFirst()
                        .orElse(null);
                out.add(metricScatter(r, metric, stratum, row, dir));
            }
        }
        out.add(accuracyVsFlops(r, false, dir));
        if (r.picks().stream().anyMatch(p -> p.accuracyFineTuned() != null)) {
            out.add(accuracyVsFlops(r, true, dir));
        }
        for (double budget : r.budgets()) {
            out.add(ranksPerLayer(r, budget, dir));
        }
        return out;
    }

    /**
     * Metric value against ground-truth accuracy of the sampled configurations of one stratum; the methods' picks at
     * that budget are drawn apart (they are not part of the correlation).
     */
    static Figure metricScatter(StudyResults r, String metric, Stratum stratum, ValidationRow row, Path dir) {
        XYSeries sampled = new XYSeries("sampled configurations", false, true);
        XYSeries picks = new XYSeries("method picks (not in ρ)", false, true);
        for (TrialPoint t : r.trials()) {
            Double m = t.metrics().get(metric);
            if (m == null || !Double.isFinite(m) || !t.stratum().equals(stratum.label())) {
                continue;
            }
            (t.isSampled() ? sampled : picks).add(m.doubleValue(), t.accuracy());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(sampled);
        if (picks.getItemCount() > 0) {
            data.addSeries(picks);
        }
        String rho = row == null
                ? "ρ –"
                : row.tooFew()
                        ? "too few samples (n = " + row.samples() + ")"
                        : "ρ = " + Format.withInterval(row.spearman(), row.spearmanLow(), row.spearmanHigh()) + " ("
                                + r.level() + " CI), n = " + row.samples();
        String title = MetricNames.label(metric) + " vs test accuracy, stratum " + stratum.label()
                + " FLOPs (compressible layers): " + rho;
        XYPlot plot = new XYPlot(
                data,
                axis(MetricNames.label(metric) + " (metric value)", false),
                axis("test accuracy, no fine-tuning", false),
                points());
        plot.getRenderer().setSeriesPaint(0, PALETTE[0]);
        plot.getRenderer().setSeriesPaint(1, PALETTE[1]);
        String file = "metric-" + Format.slug(metric) + "-" + Format.slug(stratum.label()) + ".png";
        save(chart(title, plot), dir.resolve(file), SMALL_WIDTH, SMALL_HEIGHT);
        return new Figure("metrics", file, title);
    }

    /** Accuracy against FLOPs ratio: sampled configurations in grey, each method's picks in colour. */
    static Figure accuracyVsFlops(StudyResults r, boolean fineTuned, Path dir) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries sampled = new XYSeries("sampled configurations (no fine-tuning)", false, true);
        for (TrialPoint t : r.trials()) {
            if (t.isSampled()) {
                sampled.add(t.flopsRatioCompressible(), t.accuracy());
            }
        }
        data.addSeries(sampled);
        List<String> methods = r.methods();
        for (String m : methods) {
            XYSeries s = new XYSeries(m + (fineTuned ? " (fine-tuned)" : ""), true, true);
            for (MethodPick p : r.picks()) {
                Double acc = fineTuned ? p.accuracyFineTuned() : p.accuracy();
                if (p.method().equals(m) && acc != null && p.flopsRatioCompressible() != null) {
                    s.add(p.flopsRatioCompressible().doubleValue(), acc.doubleValue());
                }
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesPaint(0, SAMPLED);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        for (int i = 0; i < methods.size(); i++) {
            renderer.setSeriesPaint(i + 1, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i + 1, new BasicStroke(1.2f));
            renderer.setSeriesShape(i + 1, SHAPES[i % SHAPES.length]);
        }
        String title = fineTuned
                ? "Test accuracy after fine-tuning vs FLOPs ratio (compressible layers), per method"
                : "Test accuracy vs FLOPs ratio (compressible layers), no fine-tuning: methods over sampled "
                        + "configurations";
        XYPlot plot = new XYPlot(
                data,
                axis(FLOPS_AXIS, false),
                axis(fineTuned ? "test accuracy after fine-tuning" : "test accuracy, no fine-tuning", false),
                renderer);
        String file = fineTuned ? "accuracy-vs-flops-finetuned.png" : "accuracy-vs-flops.png";
        save(chart(title, plot), dir.resolve(file));
        return new Figure("methods", file, title);
    }

    /** The rank each method chose for each layer at one budget, with r_max as the reference line. */
    static Figure ranksPerLayer(StudyResults r, double budget, Path dir) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        // layers no method ranks (excluded from compression, e.g. the softmax layer) stay off the chart
        List<LayerBound> ranked = r.layers().stream()
                .filter(l -> r.picks().stream().anyMatch(p -> p.ranks().containsKey(l.name())))
                .toList();
        for (LayerBound l : ranked) {
            data.addValue(l.rMax(), "r_max", l.name());
        }
        // coverage: the range of ranks the stratum's random samples gave each layer
        String stratum = r.strata().stream()
                .filter(st -> Math.abs(st.target() - budget) < 1e-9)
                .map(Stratum::label)
                .findFirst()
                .orElse(null);
        List<TrialPoint> samples = r.trials().stream()
                .filter(t -> t.isSampled() && t.stratum().equals(stratum))
                .toList();
        boolean coverage = !samples.isEmpty();
        if (coverage) {
            for (LayerBound l : ranked) {
                IntSummaryStatistics st = samples.stream()
                        .map(t -> t.ranks().get(l.name()))
                        .filter(java.util.Objects::nonNull)
                        .mapToInt(Integer::intValue)
                        .summaryStatistics();
                data.addValue(st.getCount() == 0 ? null : st.getMin(), "samples: lowest rank", l.name());
                data.addValue(st.getCount() == 0 ? null : st.getMax(), "samples: highest rank", l.name());
            }
        }
        int offset = coverage ? 3 : 1;
        List<String> methods = r.methods();
        for (String m : methods) {
            for (MethodPick p : r.picks()) {
                if (!p.method().equals(m) || p.budget() != budget) {
                    continue;
                }
                for (LayerBound l : ranked) {
                    Integer rank = p.ranks().get(l.name());
                    if (rank != null) {
                        data.addValue(rank, m, l.name());
                    }
                }
            }
        }
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, Color.BLACK);
        renderer.setSeriesStroke(
                0, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        if (coverage) {
            for (int k = 1; k <= 2; k++) {
                renderer.setSeriesPaint(k, SAMPLED);
                renderer.setSeriesStroke(k, new BasicStroke(4f));
            }
        }
        for (int i = 0; i < methods.size(); i++) {
            renderer.setSeriesPaint(i + offset, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i + offset, new BasicStroke(1.3f));
        }
        CategoryAxis x = new CategoryAxis("layer (network order)");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("rank");
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String title = "Ranks chosen per layer vs r_max at " + Format.pct(budget) + " FLOPs (compressible layers)"
                + (coverage ? "; grey: range of the " + samples.size() + " random samples of that stratum" : "");
        String file = "ranks-" + Format.slug(Format.pct(budget)) + ".png";
        save(chart(title, plot), dir.resolve(file));
        return new Figure("ranks", file, title);
    }

    private static XYLineAndShapeRenderer points() {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        Shape dot = new Ellipse2D.Double(-3, -3, 6, 6);
        r.setSeriesShape(0, dot);
        r.setSeriesShape(1, new Rectangle2D.Double(-4, -4, 8, 8));
        return r;
    }

    private static NumberAxis axis(String label, boolean includeZero) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(includeZero);
        return a;
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart c = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        TextTitle t = new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 13));
        t.setMaximumLinesToDisplay(3);
        c.setTitle(t);
        c.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setBackgroundPaint(Color.WHITE);
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        return c;
    }

    private static void save(JFreeChart chart, Path file) {
        save(chart, file, WIDTH, HEIGHT);
    }

    private static void save(JFreeChart chart, Path file, int width, int height) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + file + ": " + e.getMessage(), e);
        }
    }
}
