package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import io.rankforge.eval.BatchNormRecalibration;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which images the jobs use (docs/method.md: measurements on held-out training images, ground truth on test).
 *
 * @param dataset        fashion-mnist or mnist
 * @param dir            folder with the IDX files, or null to let the dataset fetcher find or obtain them
 * @param heldOut        images split off the training set for measurements
 * @param heldOutSeed    seed of that split
 * @param measureImages  held-out images used by sensitivity and ENC-Inf (the first n)
 * @param testImages     test images that give a trial's ground truth (the first n)
 * @param trainImages    training images available to fine-tuning (the first n)
 * @param calibrationImages training images (the first n) from which the batch-norm statistics of every
 *                       compressed network are re-estimated before it is measured; 0 = keep the trained ones
 */
public record DataSettings(
        String dataset,
        Path dir,
        int heldOut,
        long heldOutSeed,
        int measureImages,
        int testImages,
        int trainImages,
        int calibrationImages) {
    public DataSettings {
        Objects.requireNonNull(dataset, "dataset");
        if (measureImages < 1 || measureImages > heldOut) {
            throw new IllegalArgumentException("measureImages must be in [1, heldOut]");
        }
        if (testImages < 1) {
            throw new IllegalArgumentException("testImages must be >= 1");
        }
        if (trainImages < 1) {
            throw new IllegalArgumentException("trainImages must be >= 1");
        }
        BatchNormRecalibration.checkCount(calibrationImages, "calibrationImages");
    }

    static DataSettings from(Settings s) {
        String dataset = s.oneOf("rankforge.data.dataset", "fashion-mnist", "mnist");
        String dir = s.string("rankforge.data.dir");
        int heldOut = s.integer("rankforge.data.held-out", 1, 59_999);
        int measure = s.integer("rankforge.data.measure-images", 1, 60_000);
        if (measure > heldOut) {
            throw s.invalid(
                    "rankforge.data.measure-images",
                    measure + " is more than the " + heldOut
                            + " held-out images (rankforge.data.held-out); lower it or raise held-out");
        }
        return new DataSettings(
                dataset,
                dir.isBlank() ? null : Path.of(dir),
                heldOut,
                s.integer("rankforge.data.held-out-seed", Long.MIN_VALUE, Long.MAX_VALUE),
                measure,
                s.integer("rankforge.data.test-images", 1, 10_000),
                s.integer("rankforge.data.train-images", 1, 60_000),
                calibration(s));
    }

    private static int calibration(Settings s) {
        int n = s.integer("rankforge.data.calibration-images", 0, BatchNormRecalibration.MAX_IMAGES);
        if (n == 1) {
            throw s.invalid(
                    "rankforge.data.calibration-images",
                    "1 image has no variance; use 0 (keep the trained "
                            + "batch-norm statistics) or at least 2 (a few hundred is typical)");
        }
        return n;
    }

    /**
     * The configured folder, else $RANKFORGE_DATA/&lt;dataset&gt;, else ~/.rankforge/data/&lt;dataset&gt;
     * (where the jobs look first; the dataset fetcher may find the files elsewhere).
     */
    public Path resolvedDir() {
        if (dir != null) {
            return dir;
        }
        String env = System.getenv("RANKFORGE_DATA");
        Path base = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".rankforge", "data");
        return base.resolve(dataset);
    }
}
