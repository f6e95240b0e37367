package io.rankforge.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network read from a file.
 *
 * @param model     a DL4J MultiLayerNetwork or (single-input, single-output) ComputationGraph
 * @param inputType what one input image is, e.g. {@code InputType.convolutional(28, 28, 1)}
 * @param sha256    SHA-256 of the model file (identifies the exact weights in results)
 * @param path      the file it was read from
 * @param sidecar   the JSON sidecar next to it ({@code FILE.json}), or null when there is none
 */
public record LoadedModel(Model model, InputType inputType, String sha256, Path path, ObjectNode sidecar) {
    public LoadedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(path, "path");
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                    + model.getClass().getSimpleName());
        }
    }

    public Optional<ObjectNode> sidecarJson() {
        return Optional.ofNullable(sidecar);
    }

    public boolean isGraph() {
        return model instanceof ComputationGraph;
    }

    public MultiLayerNetwork asMultiLayerNetwork() {
        if (model instanceof MultiLayerNetwork m) {
            return m;
        }
        throw new IllegalStateException(path + " holds a ComputationGraph, not a MultiLayerNetwork");
    }

    public ComputationGraph asComputationGraph() {
        if (model instanceof ComputationGraph g) {
            return g;
        }
        throw new IllegalStateException(path + " holds a MultiLayerNetwork, not a ComputationGraph");
    }

    /** Inference-mode output (class probabilities) for a batch of inputs. */
    public INDArray output(INDArray input) {
        return model instanceof MultiLayerNetwork m
                ? m.output(input, false)
                : ((ComputationGraph) model).outputSingle(false, input);
    }

    /** "MultiLayerNetwork" or "ComputationGraph". */
    public String kind() {
        return isGraph() ? "ComputationGraph" : "MultiLayerNetwork";
    }
}
