package io.rankforge.jobs.cli;

import io.rankforge.AccuracyOracle;
import io.rankforge.UserInputException;
import io.rankforge.data.DataSplits;
import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.Decomposer;
import io.rankforge.eval.BatchNormRecalibration;
import io.rankforge.eval.DecomposedAccuracy;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.profile.ModelProfiler;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.SensitivitySampler;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Profiles and accuracy oracles of model files, for the CLI: the network is loaded once, its spectra
 * come from {@link ModelProfiler}, and measured quantities (sensitivity, ENC-Inf's accuracies) are
 * top-1 accuracy on the held-out split (taken from the training set, never the test set).
 */
public final class ModelProfiles {
    private final Path file;
    private final LoadedModel loaded;
    private final Model model;
    private final InputType inputType;
    private final String dataset;
    private Decomposer decomposer;
    private Path splitsDir;
    private DataSplits splits;

    private ModelProfiles(Path file, LoadedModel loaded, String dataset) {
        this.file = file;
        this.loaded = loaded;
        this.model = loaded.model();
        this.inputType = loaded.inputType();
        this.dataset = dataset;
    }

    /**
     * Loads a model file: .caffemodel (with its .prototxt beside it), Keras .h5 / .hdf5, ONNX .onnx, or any format
     * of {@link ModelLoader} (DL4J .zip with its JSON sidecar, whose "dataset" names the default data).
     */
    public static ModelProfiles load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a model file through {@link ModelLoader}; {@code prototxt} (--prototxt) only for a .caffemodel, null =
     * beside it.
     */
    public static ModelProfiles load(Path file, Path prototxt) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--model " + file + " does not exist or is not a file");
        }
        LoadedModel m = ModelLoader.load(file, prototxt);
        String dataset =
                m.sidecarJson().map(o -> o.path("dataset").asText(null)).orElse(null);
        return new ModelProfiles(file, m, dataset);
    }

    /** The model as loaded (network, input type, digest, sidecar). */
    public LoadedModel loaded() {
        return loaded;
    }

    /** The dataset the model's sidecar names, or null. */
    public String dataset() {
        return dataset;
    }

    /**
     * The same model with {@code fallback} as its dataset when its sidecar names none (an imported model), so that
     * its measurements use that dataset's splits; null changes nothing.
     */
    public ModelProfiles withDefaultDataset(String fallback) {
        return dataset != null || fallback == null ? this : new ModelProfiles(file, loaded, fallback);
    }

    /**
     * Images of measurements: the held-out images accuracy is measured on, and the training images that
     * re-estimate each compressed network's batch-norm statistics first (null = keep the trained ones).
     */
    public record MeasurementData(ImageDataset heldOut, ImageDataset calibration) {}

    /** The profile with spectra, and with measured sensitivity when {@code data} is given. */
    public NetworkProfile profile(MeasurementData data, double[] fractions) {
        if (data == null) {
            return ModelProfiler.spectra(file.toString(), model, inputType);
        }
        return ModelProfiler.withSensitivity(
                file.toString(), decomposer(), data.heldOut(), data.calibration(), fractions);
    }

    /** Accuracy of the compressed network on the held-out images. */
    public AccuracyOracle oracle(MeasurementData data) {
        return DecomposedAccuracy.recalibrated(decomposer(), data.heldOut(), data.calibration());
    }

    private synchronized Decomposer decomposer() {
        if (decomposer == null) {
            decomposer = Decomposer.withDefaultSchemes(model, inputType);
        }
        return decomposer;
    }

    /**
     * The held-out split (DataSplits' default size and seed, taken from the training set) of the IDX files
     * in {@code dataDir}, or, without one, of the dataset the model's sidecar names (found or fetched and
     * verified by the data fetcher); cut to its first {@code n} images when n is smaller; with the first
     * {@code calibrationImages} images of its train split as calibration images (0 = none).
     */
    public MeasurementData measurementData(Path dataDir, int n, int calibrationImages, String why) {
        if (n < 1) {
            throw new UserInputException("--held-out must be >= 1, got " + n);
        }
        // the held-out split holds DEFAULT_HELD_OUT images: asking for more was silently capped before
        if (n > DataSplits.DEFAULT_HELD_OUT) {
            throw new UserInputException("--held-out " + n + " is more than the " + DataSplits.DEFAULT_HELD_OUT
                    + " images of the held-out split; give at most " + DataSplits.DEFAULT_HELD_OUT);
        }
        BatchNormRecalibration.checkCount(calibrationImages, "--calibration-images");
        DataSplits splits = splits(dataDir, why);
        ImageDataset h = splits.heldOut();
        if (n > h.size()) {
            throw new UserInputException("--held-out " + n + " is more than the " + h.size()
                    + " images of the held-out split; give at most " + h.size());
        }
        ImageDataset calibration = calibrationImages == 0
                ? null
                : splits.train()
                        .first(Math.min(calibrationImages, splits.train().size()));
        return new MeasurementData(n < h.size() ? h.first(n) : h, calibration);
    }

    /**
     * The splits (train, held-out, test) of the IDX files in {@code dataDir}, or, without one, of the model's
     * dataset (found or fetched and verified by the data fetcher); read once and kept for the next call with the
     * same folder. {@code why} says what needs them, for the error when neither is known.
     */
    public synchronized DataSplits splits(Path dataDir, String why) {
        if (splits != null && java.util.Objects.equals(splitsDir, dataDir)) {
            return splits;
        }
        DataSplits s;
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) {
                throw new UserInputException("--data-dir " + dataDir + " is not a folder");
            }
            s = DataSplits.fromDirectory(dataDir);
        } else if (dataset != null) {
            s = DataSplits.load(dataset);
        } else {
            throw new UserInputException(
                    why + " needs the model's images: give --data-dir DIR (a folder with the dataset's IDX files)");
        }
        splitsDir = dataDir;
        splits = s;
        return s;
    }

    public static double[] defaultFractions() {
        return SensitivitySampler.DEFAULT_FRACTIONS.clone();
    }
}
