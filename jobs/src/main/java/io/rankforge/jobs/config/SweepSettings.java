package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ground-truth sweep.
 *
 * @param bands              FLOPs bands, each [low, high] with 0 &lt; low &lt; high ≤ 1, not overlapping
 * @param samplesPerBand     random configurations per model and band
 * @param includeMethodPicks also evaluate the select job's picks whose budget falls in a band
 * @param batchSize          trials committed together
 * @param failureCap         stop once this many trials failed
 * @param retryFailed        rerun trials stored as failed
 * @param fineTune           the fixed fine-tuning
 */
public record SweepSettings(
        List<Band> bands,
        int samplesPerBand,
        boolean includeMethodPicks,
        int batchSize,
        int failureCap,
        boolean retryFailed,
        FineTuneSettings fineTune) {
    /** A FLOPs band [low, high]. */
    public record Band(double low, double high) {
        public Band {
            if (!(low > 0 && low < high && high <= 1)) {
                throw new IllegalArgumentException(
                        "band must satisfy 0 < low < high <= 1, got [" + low + ", " + high + "]");
            }
        }

        public boolean contains(double ratio) {
            return ratio >= low && ratio <= high;
        }

        /** e.g. "20-30%" for [0.20, 0.30] (the band's name in the tables). */
        public String label() {
            return percent(low) + "-" + percent(high) + "%";
        }

        private static String percent(double fraction) {
            double p = fraction * 100;
            if (Math.abs(p - Math.rint(p)) < 1e-9) {
                return Long.toString(Math.round(p));
            }
            return String.format(java.util.Locale.ROOT, "%.2f", p).replaceAll("0+$", "");
        }
    }

    public SweepSettings {
        bands = List.copyOf(bands);
        Objects.requireNonNull(fineTune, "fineTune");
    }

    static SweepSettings from(Settings s) {
        String key = "rankforge.sweep.bands";
        List<Band> bands = new ArrayList<>();
        for (List<Double> b : s.numberLists(key)) {
            if (b.size() != 2) {
                throw s.invalid(key, "each band is [low, high], got " + b);
            }
            if (!(b.get(0) > 0 && b.get(0) < b.get(1) && b.get(1) <= 1)) {
                throw s.invalid(key, "band " + b + " must satisfy 0 < low < high <= 1");
            }
            Band band = new Band(b.get(0), b.get(1));
            for (Band o : bands) {
                if (band.low() <= o.high() && o.low() <= band.high()) {
                    throw s.invalid(key, "bands " + b + " and [" + o.low() + ", " + o.high() + "] overlap");
                }
            }
            bands.add(band);
        }
        if (bands.isEmpty()) {
            throw s.invalid(key, "needs at least one band, e.g. [[0.45, 0.55]]");
        }
        return new SweepSettings(
                bands,
                s.integer("rankforge.sweep.samples-per-band", 0, 1_000_000),
                s.flag("rankforge.sweep.include-method-picks"),
                s.integer("rankforge.sweep.batch-size", 1, 100_000),
                s.integer("rankforge.sweep.failure-cap", 0, Integer.MAX_VALUE),
                s.flag("rankforge.sweep.retry-failed"),
                FineTuneSettings.from(s));
    }

    /** The band holding this FLOPs ratio, or null. */
    public Band bandOf(double ratio) {
        for (Band b : bands) {
            if (b.contains(ratio)) {
                return b;
            }
        }
        return null;
    }
}
