package io.rankforge.model;

import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One layer of a DL4J network, seen from outside: its name, its configuration and the activation
 * types it consumes and produces (after its input preprocessor, if any).
 *
 * @param name      the layer's name (MultiLayerNetwork: its configured name, or its index when it has none;
 *                  ComputationGraph: its vertex name)
 * @param index     MultiLayerNetwork layer index, or the vertex's position in topological order for a graph
 * @param conf      the DL4J layer configuration (read-only: never modify it)
 * @param input     the activation type entering the layer, after the layer's input preprocessor
 * @param output    the activation type the layer produces
 * @param numParams parameters the layer stores (DL4J's count: batch norm stores γ, β, mean and variance)
 */
public record NetworkLayer(String name, int index, Layer conf, InputType input, InputType output, long numParams) {
    public NetworkLayer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
    }

    /** "name (Type)", the way unsupported layers are reported. */
    public String label() {
        return name + " (" + conf.getClass().getSimpleName() + ")";
    }
}
