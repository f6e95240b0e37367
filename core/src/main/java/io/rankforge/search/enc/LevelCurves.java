package io.rankforge.search.enc;

import io.rankforge.MetricKind;
import io.rankforge.metric.LayerMetrics;
import io.rankforge.metric.Pchip;
import io.rankforge.profile.LayerProfile;
import io.rankforge.search.SelectionProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ENC-Map's inverted metric curves (docs/method.md §3): for each compressed layer, the rank at which its
 * per-layer metric reaches a level a, r_l(a) = round(PCHIP(metric → rank/r_max)(a) · r_max).
 *
 * <p>The knots are (0, 0) and the layer's metric points in rank order: the measured samples for the
 * measured (and combined) metric, as the paper does; the tabulated curve at every rank for the
 * spectrum metrics. Points past the first metric value ≥ 1 are dropped, and so is every point whose
 * metric or rank does not increase over the last point kept (duplicates, dips).
 *
 * <p>The "extended" curves move the last knot's rank to r_max: the paper's remedy when the target
 * cannot be reached at the highest level because a layer's metric saturates early.
 */
final class LevelCurves {
    private final SelectionProblem problem;
    private final Pchip[] curves, extended;
    private final double[] lastLevel, lastRank;
    private final double topLevel;

    private LevelCurves(
            SelectionProblem problem,
            Pchip[] curves,
            Pchip[] extended,
            double[] lastLevel,
            double[] lastRank,
            double topLevel) {
        this.problem = problem;
        this.curves = curves;
        this.extended = extended;
        this.lastLevel = lastLevel;
        this.lastRank = lastRank;
        this.topLevel = topLevel;
    }

    /** The curves of the problem's compressed layers for this metric (combined uses the measured curves). */
    static LevelCurves of(SelectionProblem p, MetricKind kind) {
        MetricKind k = kind == MetricKind.COMBINED ? MetricKind.MEASURED : kind;
        int m = p.size();
        Pchip[] c = new Pchip[m], e = new Pchip[m];
        double[] lx = new double[m], ly = new double[m];
        double top = 0;
        for (int j = 0; j < m; j++) {
            double[][] knots = knots(p.layer(j), p.tables().layer(j), k);
            double[] x = knots[0], y = knots[1];
            c[j] = Pchip.through(x, y);
            double[] ye = y.clone();
            ye[ye.length - 1] = 1.0;
            e[j] = Pchip.through(x, ye);
            lx[j] = x[x.length - 1];
            ly[j] = y[y.length - 1];
            top = Math.max(top, lx[j]);
        }
        return new LevelCurves(p, c, e, lx, ly, top);
    }

    /** (metric, rank/r_max) knots after the clean-up described above. */
    static double[][] knots(LayerProfile layer, LayerMetrics metrics, MetricKind kind) {
        int rMax = layer.rMax();
        List<double[]> raw = new ArrayList<>();
        raw.add(new double[] {0, 0});
        if (kind == MetricKind.MEASURED) {
            for (Map.Entry<Integer, Double> s : layer.sensitivity().entrySet()) {
                raw.add(new double[] {s.getValue(), Math.min(s.getKey(), rMax) / (double) rMax});
            }
        } else {
            for (int r = 1; r <= rMax; r++) {
                raw.add(new double[] {metrics.value(kind, r), r / (double) rMax});
            }
        }
        List<double[]> kept = new ArrayList<>();
        for (double[] pt : raw) {
            if (!kept.isEmpty()) {
                double[] last = kept.get(kept.size() - 1);
                if (!(pt[0] > last[0]) || !(pt[1] > last[1])) {
                    continue;
                }
            }
            kept.add(pt);
            if (pt[0] >= 1) {
                break;
            }
        }
        if (kept.size() < 2) {
            kept.add(new double[] {1, 1}); // no usable information: rank proportional to level
        }
        double[] x = new double[kept.size()], y = new double[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            x[i] = kept.get(i)[0];
            y[i] = kept.get(i)[1];
        }
        return new double[][] {x, y};
    }

    /** The highest level worth asking for: every curve is at (or past) its last knot. */
    double topLevel() {
        return topLevel;
    }

    /** Ranks at level a, clamped to each layer's allowed range (a fixed first layer keeps its rank). */
    int[] ranksAt(double a, boolean useExtended) {
        int m = curves.length;
        int[] r = new int[m];
        for (int j = 0; j < m; j++) {
            // past its last knot a layer stays at the last knot's rank (no extrapolation)
            double v = a >= lastLevel[j]
                    ? (useExtended ? 1.0 : lastRank[j])
                    : (useExtended ? extended[j] : curves[j]).value(a);
            int rank = (int) Math.round(Math.max(0, Math.min(1, v)) * problem.rMax(j));
            r[j] = Math.max(problem.lo(j), Math.min(problem.hi(j), rank));
        }
        return r;
    }
}
