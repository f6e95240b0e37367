package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The ground-truth sweep: random configurations sampled in iso-cost strata, plus the select job's picks.
 *
 * @param strata             the cost strata, each a target and the window [target − window, target] below it
 * @param samplesPerStratum  random configurations per model and stratum
 * @param includeMethodPicks also evaluate the select job's picks (kept apart from the samples)
 * @param batchSize          trials committed together
 * @param failureCap         stop once this many trials failed
 * @param retryFailed        rerun trials stored as failed
 * @param fineTune           the fixed fine-tuning
 */
public record SweepSettings(
        List<Stratum> strata,
        int samplesPerStratum,
        boolean includeMethodPicks,
        int batchSize,
        int failureCap,
        boolean retryFailed,
        FineTuneSettings fineTune) {
    /** The widest cost window allowed: wider windows let cost drive the within-stratum correlations again. */
    public static final double MAX_WINDOW = 0.01;

    /**
     * An iso-cost stratum: configurations whose FLOPs ratio over the compressible layers lies in
     * [target − window, target]. Correlations are computed within a stratum, where cost barely varies.
     */
    public record Stratum(double target, double window) implements java.io.Serializable {
        public Stratum {
            if (!(target > 0 && target <= 1)) {
                throw new IllegalArgumentException("target must be in (0, 1], got " + target);
            }
            if (!(window > 0 && window <= MAX_WINDOW && window < target)) {
                throw new IllegalArgumentException(
                        "window must be in (0, " + MAX_WINDOW + "] and below the target, got " + window);
            }
        }

        public double low() {
            return target - window;
        }

        public double high() {
            return target;
        }

        /** e.g. "25%" for target 0.25 (the stratum's name in the tables). */
        public String label() {
            return labelOf(target);
        }

        /** The name of the stratum with this target, e.g. "25%". */
        public static String labelOf(double target) {
            double p = target * 100;
            if (Math.abs(p - Math.rint(p)) < 1e-9) {
                return Math.round(p) + "%";
            }
            return String.format(Locale.ROOT, "%.2f", p).replaceAll("0+$", "") + "%";
        }
    }

    public SweepSettings {
        strata = List.copyOf(strata);
        Objects.requireNonNull(fineTune, "fineTune");
    }

    static SweepSettings from(Settings s) {
        String key = "rankforge.sweep.strata";
        double window = s.number("rankforge.sweep.window", 0, MAX_WINDOW);
        if (!(window > 0)) {
            throw s.invalid("rankforge.sweep.window", "must be in (0, " + MAX_WINDOW + "], e.g. 0.005");
        }
        List<Stratum> strata = new ArrayList<>();
        for (double t : s.numbers(key, 0, 1)) {
            if (!(t > window)) {
                throw s.invalid(key, "target " + t + " must lie above the window " + window);
            }
            Stratum st = new Stratum(t, window);
            for (Stratum o : strata) {
                if (st.low() <= o.high() && o.low() <= st.high()) {
                    throw s.invalid(key, "strata " + t + " and " + o.target() + " overlap (window " + window + ")");
                }
            }
            strata.add(st);
        }
        if (strata.isEmpty()) {
            throw s.invalid(key, "needs at least one cost target, e.g. [0.25, 0.5, 0.75]");
        }
        FineTuneSettings ft = FineTuneSettings.from(s);
        for (double t : ft.sampleStrata()) {
            if (strata.stream().noneMatch(st -> Math.abs(st.target() - t) < 1e-12)) {
                throw s.invalid(
                        "rankforge.sweep.fine-tune.sample-strata",
                        "target " + t + " is not one of rankforge.sweep.strata " + s.numbers(key, 0, 1));
            }
        }
        return new SweepSettings(
                strata,
                s.integer("rankforge.sweep.samples-per-stratum", 0, 1_000_000),
                s.flag("rankforge.sweep.include-method-picks"),
                s.integer("rankforge.sweep.batch-size", 1, 100_000),
                s.integer("rankforge.sweep.failure-cap", 0, Integer.MAX_VALUE),
                s.flag("rankforge.sweep.retry-failed"),
                ft);
    }

    /** The stratum whose target equals this budget (a method's pick is compared with it), or null. */
    public Stratum stratumAt(double budget) {
        for (Stratum st : strata) {
            if (Math.abs(st.target() - budget) < 1e-9) {
                return st;
            }
        }
        return null;
    }
}
