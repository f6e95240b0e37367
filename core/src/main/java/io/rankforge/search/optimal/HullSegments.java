package io.rankforge.search.optimal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The segments of every layer's upper concave hull of (weight, score) points, from its lowest rank to
 * its best score, sorted by slope (score gained per unit of weight), steepest first. Taking them in
 * this order is the greedy solution of the LP relaxation of the multiple-choice knapsack; the slope
 * at which a budget runs out is the optimal Lagrange multiplier of that relaxation.
 */
final class HullSegments {
    final int[] layer, from, to;
    final double[] dWeight, slope;
    final double[] prefixWeight; // prefixWeight[s] = Σ dWeight of segments before s
    final double baseWeight; // Σ weight of every layer's lowest rank

    HullSegments(ScoreTable t, double[][] weight) {
        List<double[]> segs = new ArrayList<>();
        double base = 0;
        for (int l = 0; l < t.n; l++) {
            double[] w = weight[l], s = t.score[l];
            base += w[0];
            int k = s.length;
            int[] hull = new int[k];
            int h = 0;
            for (int i = 0; i < k; i++) {
                // keep the hull concave: drop the last point while it lies on or below the chord
                while (h >= 2 && cross(w, s, hull[h - 2], hull[h - 1], i) >= 0) {
                    h--;
                }
                hull[h++] = i;
            }
            for (int j = 0; j + 1 < h; j++) {
                double ds = s[hull[j + 1]] - s[hull[j]];
                if (!(ds > 0)) {
                    break; // past the best score nothing is worth its weight
                }
                double dw = w[hull[j + 1]] - w[hull[j]];
                segs.add(new double[] {l, hull[j], hull[j + 1], dw, ds / dw, segs.size()});
            }
        }
        // steepest first; ties keep the order of creation, so a layer's segments stay in sequence
        segs.sort((a, b) -> a[4] != b[4] ? Double.compare(b[4], a[4]) : Double.compare(a[5], b[5]));
        int m = segs.size();
        layer = new int[m];
        from = new int[m];
        to = new int[m];
        dWeight = new double[m];
        slope = new double[m];
        prefixWeight = new double[m + 1];
        for (int i = 0; i < m; i++) {
            double[] g = segs.get(i);
            layer[i] = (int) g[0];
            from[i] = (int) g[1];
            to[i] = (int) g[2];
            dWeight[i] = g[3];
            slope[i] = g[4];
            prefixWeight[i + 1] = prefixWeight[i] + g[3];
        }
        baseWeight = base;
    }

    /** (b − a) × (c − a) in the (weight, score) plane: ≥ 0 when b is not strictly above the chord a–c. */
    private static double cross(double[] w, double[] s, int a, int b, int c) {
        return (w[b] - w[a]) * (s[c] - s[a]) - (s[b] - s[a]) * (w[c] - w[a]);
    }

    int size() {
        return layer.length;
    }

    /** The LP relaxation's Lagrange multiplier at a total weight budget (0 when every segment fits). */
    double multiplierAt(double budget) {
        double free = budget - baseWeight;
        if (free < 0) {
            return slope.length == 0 ? 0 : slope[0];
        }
        int idx = Arrays.binarySearch(prefixWeight, free);
        int firstNotFitting = idx >= 0 ? idx : -idx - 1; // prefixWeight[firstNotFitting] > free (or == and all fit)
        if (idx >= 0) {
            return idx < slope.length ? slope[idx] : 0;
        }
        int s = firstNotFitting - 1;
        return s < slope.length ? slope[s] : 0;
    }

    double maxSlope() {
        return slope.length == 0 ? 0 : slope[0];
    }

    double minSlope() {
        return slope.length == 0 ? 0 : slope[slope.length - 1];
    }
}
