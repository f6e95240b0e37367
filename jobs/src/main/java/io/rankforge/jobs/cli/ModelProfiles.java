package io.rankforge.jobs.cli;

import io.rankforge.UserInputException;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.AccuracyOracle;

import java.nio.file.Path;

/**
 * Profiles and accuracy oracles of model files, for the CLI. Computing them needs the model loader,
 * decomposition and evaluation (io.rankforge.profile.ModelProfiler and io.rankforge.eval.Evaluator);
 * until those are in this build, a model path is a clear error.
 */
final class ModelProfiles {
    private ModelProfiles() {
    }

    static NetworkProfile profile(Path model, boolean measureSensitivity) {
        // TODO(method): wire io.rankforge.profile.ModelProfiler once it is on main
        throw new UserInputException("--model " + model + ": profiling a model file is not available in this build yet; give --profile PATH (a profile JSON or an ENC reference folder)");
    }

    static AccuracyOracle oracle(Path model) {
        throw new UserInputException("--model " + model + ": measuring accuracy is not available in this build yet");
    }
}
