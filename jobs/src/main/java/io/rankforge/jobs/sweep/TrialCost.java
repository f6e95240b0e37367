package io.rankforge.jobs.sweep;

import java.io.Serializable;

/**
 * Where one trial's time went on its executor, in seconds (NaN for a phase the trial did not reach or does not
 * have), and the native build it ran on. The task's wall time minus these phases is the task's own overhead
 * (staging the model and images on first use, thread setup); Spark's overhead per trial is in the sweep summary.
 *
 * @param decompose      building the compressed network from the cached per-layer factors
 * @param recalibrate    re-estimating batch-norm statistics from the calibration images
 * @param evaluate       test accuracy of the compressed network
 * @param fineTune       the fixed fine-tuning
 * @param evaluateTuned  test accuracy after fine-tuning
 * @param nativeBuild    the libnd4j build the executor runs (plain or onednn-avx2)
 */
public record TrialCost(
        double decompose,
        double recalibrate,
        double evaluate,
        double fineTune,
        double evaluateTuned,
        String nativeBuild)
        implements Serializable {

    /** No phase measured (a trial recorded without timings, e.g. in tests of the table). */
    public static TrialCost unmeasured(String nativeBuild) {
        return new TrialCost(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nativeBuild);
    }

    /** Phases measured so far, filled in order by the task. */
    static final class Clock {
        private final String nativeBuild;
        private final double[] phases = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        private long mark = System.nanoTime();

        Clock(String nativeBuild) {
            this.nativeBuild = nativeBuild;
        }

        /** Restarts the clock (time before this belongs to no phase). */
        void start() {
            mark = System.nanoTime();
        }

        /** Ends phase {@code i} (0 decompose … 4 evaluateTuned) now. */
        void end(int i) {
            long now = System.nanoTime();
            phases[i] = (now - mark) / 1e9;
            mark = now;
        }

        TrialCost cost() {
            return new TrialCost(phases[0], phases[1], phases[2], phases[3], phases[4], nativeBuild);
        }
    }

    static final int DECOMPOSE = 0;
    static final int RECALIBRATE = 1;
    static final int EVALUATE = 2;
    static final int FINE_TUNE = 3;
    static final int EVALUATE_TUNED = 4;
}
