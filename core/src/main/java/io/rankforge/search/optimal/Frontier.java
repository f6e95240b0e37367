package io.rankforge.search.optimal;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Growable parallel arrays of partial configurations (MACs, params, score, back-pointer). */
final class Frontier {
    double[] macs, params, score;
    int[] parent, choice;
    int size;

    Frontier(int capacity) {
        macs = new double[capacity];
        params = new double[capacity];
        score = new double[capacity];
        parent = new int[capacity];
        choice = new int[capacity];
    }

    void add(double m, double p, double s, int par, int ch) {
        if (size == macs.length) {
            grow();
        }
        macs[size] = m;
        params[size] = p;
        score[size] = s;
        parent[size] = par;
        choice[size] = ch;
        size++;
    }

    private void grow() {
        int cap = macs.length * 2;
        macs = Arrays.copyOf(macs, cap);
        params = Arrays.copyOf(params, cap);
        score = Arrays.copyOf(score, cap);
        parent = Arrays.copyOf(parent, cap);
        choice = Arrays.copyOf(choice, cap);
    }

    /** States ordered by MACs ascending, then params ascending, then score descending (stable). */
    private int[] order() {
        int[] idx = new int[size], tmp = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        mergeSort(idx, tmp, 0, size);
        return idx;
    }

    private boolean before(int a, int b) {
        if (macs[a] != macs[b]) {
            return macs[a] < macs[b];
        }
        if (params[a] != params[b]) {
            return params[a] < params[b];
        }
        return score[a] > score[b];
    }

    private void mergeSort(int[] a, int[] tmp, int lo, int hi) {
        if (hi - lo < 24) {
            for (int i = lo + 1; i < hi; i++) {
                int x = a[i], j = i - 1;
                while (j >= lo && before(x, a[j])) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid);
        mergeSort(a, tmp, mid, hi);
        if (!before(a[mid], a[mid - 1])) {
            return;
        }
        System.arraycopy(a, lo, tmp, lo, hi - lo);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            a[k++] = before(tmp[j], tmp[i]) ? tmp[j++] : tmp[i++];
        }
        while (i < mid) {
            a[k++] = tmp[i++];
        }
        while (j < hi) {
            a[k++] = tmp[j++];
        }
    }

    /** Keeps the states that no other state beats on MACs and score (params ignored). */
    Frontier nonDominated1D() {
        int[] idx = order();
        Frontier out = new Frontier(Math.max(1, size / 4));
        double best = Double.NEGATIVE_INFINITY;
        for (int i : idx) {
            if (score[i] > best) {
                best = score[i];
                out.add(macs[i], params[i], score[i], parent[i], choice[i]);
            }
        }
        return out;
    }

    /** Keeps the states that no other state beats on MACs, params and score together. */
    Frontier nonDominated2D() {
        int[] idx = order();
        Frontier out = new Frontier(Math.max(1, size / 4));
        // staircase over the states kept so far (all no more MACs): params → best score, score rising with params
        TreeMap<Double, Double> stairs = new TreeMap<>();
        for (int i : idx) {
            Map.Entry<Double, Double> below = stairs.floorEntry(params[i]);
            if (below != null && below.getValue() >= score[i]) {
                continue;
            }
            out.add(macs[i], params[i], score[i], parent[i], choice[i]);
            Map.Entry<Double, Double> e;
            while ((e = stairs.ceilingEntry(params[i])) != null && e.getValue() <= score[i]) {
                stairs.remove(e.getKey());
            }
            stairs.put(params[i], score[i]);
        }
        return out;
    }
}
