package io.rankforge.jobs.cli;

import io.rankforge.eval.BatchNormRecalibration;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options of the commands that load a model file and may measure its compressed accuracy (profile
 * --measure-sensitivity, select with a measured metric or enc-inf): which model definition, which
 * images, and how each compressed network is prepared, as the Spark jobs do it.
 */
public final class MeasurementOptions {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Folder of the dataset's IDX files whose held-out split "
                    + "(taken from its training set) measures accuracy; default: the dataset the "
                    + "model's sidecar names.")
    public Path dataDir;

    @Option(
            names = "--prototxt",
            paramLabel = "FILE",
            description = "With a --model FILE.caffemodel: its network definition (default: the .prototxt beside it).")
    public Path prototxt;

    @Option(
            names = "--held-out",
            paramLabel = "N",
            defaultValue = "5000",
            description = "Held-out images used for measuring (default: ${DEFAULT-VALUE}).")
    public int heldOut;

    @Option(
            names = "--calibration-images",
            paramLabel = "N",
            defaultValue = "" + BatchNormRecalibration.DEFAULT_IMAGES,
            description = "Re-estimate each compressed network's batch-norm statistics from the first N training "
                    + "images before measuring it; 0 = keep the trained statistics (default: ${DEFAULT-VALUE}, as "
                    + "rankforge.data.calibration-images).")
    public int calibrationImages;

    /** The held-out and calibration images, read on first use. */
    public ModelProfiles.MeasurementData data(ModelProfiles m, String why) {
        return m.measurementData(dataDir, heldOut, calibrationImages, why);
    }
}
