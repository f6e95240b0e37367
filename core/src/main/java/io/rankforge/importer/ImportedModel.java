package io.rankforge.importer;

import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * A network brought in from another framework's file, ready to run in DL4J.
 *
 * @param network   a ComputationGraph or MultiLayerNetwork, initialised with the file's weights
 * @param inputType the shape (and layout) of one input example the network expects
 * @param notes     what a user must know about the conversion (input scaling, folded layers), one
 *                  sentence each
 */
public record ImportedModel(Model network, InputType inputType, List<String> notes) {
    public ImportedModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(inputType, "inputType");
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }
}
