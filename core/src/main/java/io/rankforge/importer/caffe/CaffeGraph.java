package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The bookkeeping of a Caffe network's translation into a DL4J computation graph: which vertex holds each Caffe
 * blob (and its feature shape), unique vertex names, the vertices to add in order with their inputs, the trained
 * parameters to assign once the graph exists, and the final emission into DL4J's graph builder.
 */
final class CaffeGraph {
    record Node(String vertex, FeatureShape shape) {}

    /** One vertex to add: a DL4J layer or a graph vertex, and the names of its inputs. */
    record Spec(String name, Object layerOrVertex, String[] inputs) {
        boolean activatesInPlace() {
            // DL4J applies these activations to their input array itself at inference time
            return layerOrVertex instanceof ActivationLayer || layerOrVertex instanceof LossLayer;
        }
    }

    final NetParameter definition;
    final Map<String, LayerParameter> weights;
    final GraphBuilder graph;
    final Map<String, Node> blobs = new HashMap<>();
    final Set<String> vertexNames = new HashSet<>();
    final List<Spec> specs = new ArrayList<>();
    final Set<String> consumed = new HashSet<>();
    final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();

    CaffeGraph(NetParameter definition, NetParameter trained) {
        this.definition = definition;
        this.weights = new HashMap<>();
        for (LayerParameter l : trained.getLayerList()) {
            weights.putIfAbsent(l.getName(), l);
        }
        this.graph = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .activation(Activation.IDENTITY) // DL4J's default would be sigmoid
                .weightInit(WeightInit.ZERO) // every weight is overwritten from the .caffemodel
                .graphBuilder();
    }

    String addLayer(LayerParameter l, Layer layer, FeatureShape out, String input) {
        return addLayer(l.getName(), layer, out, l.getTop(0), input);
    }

    /** Adds a DL4J layer named {@code name}; {@code top} (if not null) is the Caffe blob it now produces. */
    String addLayer(String name, Layer layer, FeatureShape out, String top, String input) {
        return registered(name, layer, out, top, input);
    }

    void addVertex(String name, GraphVertex vertex, FeatureShape out, String... inputs) {
        registered(name, vertex, out, null, inputs);
    }

    void addVertex(String name, String top, GraphVertex vertex, FeatureShape out, String... inputs) {
        registered(name, vertex, out, top, inputs);
    }

    String registered(String name, Object layerOrVertex, FeatureShape out, String top, String... inputs) {
        claim(name);
        specs.add(new Spec(name, layerOrVertex, inputs));
        consumed.addAll(Arrays.asList(inputs));
        if (top != null) {
            blobs.put(top, new Node(name, out));
        }
        return name;
    }

    /**
     * Adds every vertex to the DL4J graph. An in-place activation whose input array is also read by
     * another vertex (or is the caller's input) first gets its own copy, a ScaleVertex(1) named
     * {@code <name>_copy}: Caffe computes such a branch on an unmodified blob.
     */
    void emit(String networkInput) {
        Map<String, Integer> readers = new HashMap<>();
        for (Spec s : specs) {
            for (String in : s.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        for (Spec s : specs) {
            String[] inputs = s.inputs();
            if (s.activatesInPlace() && (inputs[0].equals(networkInput) || readers.get(inputs[0]) > 1)) {
                String copy = unique(s.name() + "_copy");
                vertexNames.add(copy);
                graph.addVertex(copy, new ScaleVertex(1.0), inputs);
                inputs = new String[] {copy};
            }
            if (s.layerOrVertex() instanceof Layer layer) {
                graph.addLayer(s.name(), layer, inputs);
            } else {
                graph.addVertex(s.name(), (GraphVertex) s.layerOrVertex(), inputs);
            }
        }
    }

    void claim(String name) {
        if (!vertexNames.add(name)) {
            throw new UserInputException("Caffe network '" + definition.getName() + "' has two layers (or a layer "
                    + "and its input) named '" + name + "'; layer names must be unique to be imported");
        }
    }

    String unique(String base) {
        String name = base;
        for (int i = 2; vertexNames.contains(name) || definitionHasLayer(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    boolean definitionHasLayer(String name) {
        return definition.getLayerList().stream().anyMatch(l -> l.getName().equals(name));
    }

    Node node(LayerParameter l, int bottom) {
        if (l.getBottomCount() <= bottom || l.getTopCount() == 0) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType()
                    + ") lacks an input (bottom) or output (top) blob");
        }
        Node n = blobs.get(l.getBottom(bottom));
        if (n == null) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' reads blob '" + l.getBottom(bottom)
                    + "', which no importable layer before it produces");
        }
        return n;
    }

    String input(LayerParameter l, int bottom) {
        return node(l, bottom).vertex();
    }

    FeatureShape blobShape(LayerParameter l, int bottom) {
        return node(l, bottom).shape();
    }

    FeatureShape mapInput(LayerParameter l) {
        FeatureShape in = blobShape(l, 0);
        if (in.flat()) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType() + ") reads a flat vector "
                    + in + "; it needs a feature map");
        }
        return in;
    }

    boolean isReadAfter(LayerParameter l, List<LayerParameter> later) {
        String top = l.getTop(0);
        return later.stream().anyMatch(x -> x.getBottomList().contains(top));
    }

    List<CaffeBlob> blobsOf(LayerParameter l, int expected) {
        LayerParameter trained = weights.get(l.getName());
        if (trained == null) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType() + ") has no weights in "
                    + "the .caffemodel; do the .caffemodel and the .prototxt belong together?");
        }
        if (trained.getBlobsCount() != expected) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType() + ") has "
                    + trained.getBlobsCount() + " weight blobs in the .caffemodel, its definition needs " + expected);
        }
        List<CaffeBlob> out = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            out.add(CaffeBlob.of(trained.getBlobs(i), l.getName(), i));
        }
        return out;
    }

    void param(String layer, String key, INDArray value) {
        params.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(key, value);
    }

    static void assign(ComputationGraph network, String layer, String key, INDArray value) {
        INDArray target = network.getLayer(layer).getParam(key);
        if (target.length() != value.length()) {
            throw new IllegalStateException("parameter " + layer + "." + key + " has " + target.length()
                    + " values, the import computed " + value.length());
        }
        INDArray shaped = Arrays.equals(target.shape(), value.shape()) ? value : value.reshape('c', target.shape());
        network.getLayer(layer).setParam(key, shaped.castTo(target.dataType()));
    }
}
