package io.rankforge.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Lists the layers of a MultiLayerNetwork or ComputationGraph in network order, with their activation types. */
public final class NetworkLayers {
    private NetworkLayers() {}

    /**
     * @param model      a MultiLayerNetwork or ComputationGraph (initialised)
     * @param inputTypes the network's input type(s), e.g. {@code InputType.convolutional(28, 28, 1)}
     */
    public static List<NetworkLayer> of(Model model, InputType... inputTypes) {
        if (inputTypes == null || inputTypes.length == 0) {
            throw new IllegalArgumentException(
                    "the network's input type is needed (e.g. InputType.convolutional(28, 28, 1))");
        }
        if (model instanceof MultiLayerNetwork mln) {
            return ofMultiLayer(mln, inputTypes);
        }
        if (model instanceof ComputationGraph cg) {
            return ofGraph(cg, inputTypes);
        }
        throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, got "
                + (model == null ? "null" : model.getClass().getSimpleName()));
    }

    /** The name a MultiLayerNetwork layer is known by: its configured name, else its index. */
    public static String nameOf(MultiLayerNetwork net, int index) {
        String n = net.getLayerWiseConfigurations().getConf(index).getLayer().getLayerName();
        return n == null || n.isBlank() ? String.valueOf(index) : n;
    }

    private static List<NetworkLayer> ofMultiLayer(MultiLayerNetwork net, InputType[] inputTypes) {
        if (inputTypes.length != 1) {
            throw new IllegalArgumentException(
                    "a MultiLayerNetwork has one input, got " + inputTypes.length + " input types");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<InputType> outputs = conf.getLayerActivationTypes(inputTypes[0]);
        List<NetworkLayer> layers = new ArrayList<>();
        InputType previous = inputTypes[0];
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputPreProcessor pp = conf.getInputPreProcess(i);
            InputType in = pp == null ? previous : pp.getOutputType(previous);
            layers.add(new NetworkLayer(
                    nameOf(net, i),
                    i,
                    conf.getConf(i).getLayer(),
                    in,
                    outputs.get(i),
                    net.getLayer(i).numParams()));
            previous = outputs.get(i);
        }
        return layers;
    }

    private static List<NetworkLayer> ofGraph(ComputationGraph graph, InputType[] inputTypes) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> networkInputs = conf.getNetworkInputs();
        if (inputTypes.length != networkInputs.size()) {
            throw new IllegalArgumentException("the graph has " + networkInputs.size() + " input(s) " + networkInputs
                    + " but " + inputTypes.length + " input type(s) were given");
        }
        Map<String, InputType> outputs = conf.getLayerActivationTypes(inputTypes);
        GraphVertex[] vertices = graph.getVertices();
        List<NetworkLayer> layers = new ArrayList<>();
        int position = 0;
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[idx];
            String name = v.getVertexName();
            if (!(conf.getVertices().get(name) instanceof LayerVertex lv)) {
                continue; // inputs, merges, adds …
            }
            List<String> in = conf.getVertexInputs().get(name);
            if (in == null || in.size() != 1) {
                throw new IllegalArgumentException("layer vertex " + name + " must have exactly one input, has " + in);
            }
            InputType inType = typeOf(in.get(0), outputs, networkInputs, inputTypes);
            if (lv.getPreProcessor() != null) {
                inType = lv.getPreProcessor().getOutputType(inType);
            }
            layers.add(new NetworkLayer(
                    name,
                    position++,
                    lv.getLayerConf().getLayer(),
                    inType,
                    outputs.get(name),
                    v.getLayer().numParams()));
        }
        return layers;
    }

    private static InputType typeOf(
            String vertex, Map<String, InputType> outputs, List<String> networkInputs, InputType[] inputTypes) {
        int i = networkInputs.indexOf(vertex);
        if (i >= 0) {
            return inputTypes[i];
        }
        InputType t = outputs.get(vertex);
        if (t == null) {
            throw new IllegalStateException("no activation type for vertex " + vertex);
        }
        return t;
    }

    /** The runtime layer called {@code name} (see {@link #nameOf} for unnamed MultiLayerNetwork layers). */
    public static org.deeplearning4j.nn.api.Layer runtimeLayer(Model model, String name) {
        if (model instanceof MultiLayerNetwork mln) {
            for (int i = 0; i < mln.getnLayers(); i++) {
                if (nameOf(mln, i).equals(name)) {
                    return mln.getLayer(i);
                }
            }
        } else if (model instanceof ComputationGraph cg) {
            GraphVertex v = cg.getVertex(name);
            if (v != null && v.hasLayer()) {
                return v.getLayer();
            }
        }
        throw new IllegalArgumentException("the network has no layer named '" + name + "'");
    }
}
