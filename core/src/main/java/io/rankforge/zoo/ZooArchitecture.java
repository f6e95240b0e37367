package io.rankforge.zoo;

import io.rankforge.UserInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The networks of the zoo, their default training length, and how to build one untrained with a seed.
 * All take {@code InputType.convolutional(28, 28, 1)} images (the MNIST family) by default.
 */
public enum ZooArchitecture {
    LENET5(
            "lenet5",
            "MultiLayerNetwork",
            5,
            64,
            "LeNet-5 (Caffe/DL4J variant): conv 20@5x5, pool, conv 50@5x5, pool, fc 500, softmax"),
    VGG_MINI(
            "vgg-mini",
            "MultiLayerNetwork",
            6,
            64,
            "VGG-style: 3 stages x 2 conv 3x3 (8/16/32) + batch norm, max pool per stage, fc 128, softmax"),
    RESNET_20(
            "resnet-20",
            "ComputationGraph",
            6,
            64,
            "ResNet-20: stem conv + 2x2 max pool, 3 stages x 3 basic blocks (8/16/32), stride-2 transitions "
                    + "with 1x1 projection shortcuts + BN, global avg pool, softmax"),
    VGG_MINI_W2(
            "vgg-mini-w2",
            "MultiLayerNetwork",
            12,
            64,
            "vgg-mini at twice the width: 3 stages x 2 conv 3x3 (16/32/64) + batch norm, max pool per stage, "
                    + "fc 128, softmax"),
    VGG_16(
            "vgg-16",
            "MultiLayerNetwork",
            10,
            64,
            "VGG-16 shape: 13 conv 3x3 + batch norm in 5 stages (2,2,3,3,3; 16/32/64/128/128), max pool after "
                    + "stages 1-3 (2x2) and 5 (3x3), fc 128, fc 128, softmax"),
    RESNET_32(
            "resnet-32",
            "ComputationGraph",
            10,
            64,
            "ResNet-32 (CIFAR widths): stem conv, 3 stages x 5 basic blocks (16/32/64) at 28/14/7, stride-2 "
                    + "transitions with 1x1 projection shortcuts + BN, global avg pool, softmax"),
    RESNET_56(
            "resnet-56",
            "ComputationGraph",
            10,
            64,
            "ResNet-56 (CIFAR widths): stem conv, 3 stages x 9 basic blocks (16/32/64) at 28/14/7, stride-2 "
                    + "transitions with 1x1 projection shortcuts + BN, global avg pool, softmax");

    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;
    public static final int CHANNELS = 1;

    private final String id;
    private final String kind;
    private final int defaultEpochs;
    private final int batchSize;
    private final String summary;

    ZooArchitecture(String id, String kind, int defaultEpochs, int batchSize, String summary) {
        this.id = id;
        this.kind = kind;
        this.defaultEpochs = defaultEpochs;
        this.batchSize = batchSize;
        this.summary = summary;
    }

    /** The name used on the command line, e.g. {@code vgg-mini}. */
    public String id() {
        return id;
    }

    /** "MultiLayerNetwork" or "ComputationGraph". */
    public String kind() {
        return kind;
    }

    public int defaultEpochs() {
        return defaultEpochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public String summary() {
        return summary;
    }

    public InputType inputType() {
        return InputType.convolutional(HEIGHT, WIDTH, CHANNELS);
    }

    /** A freshly initialised network set up for the default number of epochs. */
    public Model build(long seed) {
        return build(seed, defaultEpochs);
    }

    /**
     * A freshly initialised network; the same seed gives the same initial weights. {@code epochs} sets
     * the learning-rate decay (it reaches 5% of the starting rate in the last epoch).
     */
    public Model build(long seed, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return switch (this) {
            case LENET5 -> LeNet5.build(seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case VGG_MINI -> VggMini.build(VggMini.WIDTHS, seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case VGG_MINI_W2 -> VggMini.build(VggMini.WIDE_WIDTHS, seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case VGG_16 -> Vgg16.build(seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case RESNET_20 -> ResNet.build(ResNet.RESNET_20, seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case RESNET_32 -> ResNet.build(ResNet.cifar(5), seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case RESNET_56 -> ResNet.build(ResNet.cifar(9), seed, epochs, HEIGHT, WIDTH, CHANNELS);
        };
    }

    /** Names of the layers (graph: vertices) in network order. */
    public static List<String> layerNames(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getLayerWiseConfigurations().getConfs().stream()
                    .map(c -> c.getLayer().getLayerName())
                    .toList();
        }
        if (model instanceof ComputationGraph g) {
            return new ArrayList<>(g.getConfiguration().getVertices().keySet());
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph");
    }

    /**
     * The architecture whose freshly built network has the same kind, layer names and layer widths as {@code model}
     * (widths too: vgg-mini and vgg-mini-w2 share their names).
     */
    public static Optional<ZooArchitecture> matching(Model model) {
        Set<String> signature = signature(model);
        for (ZooArchitecture a : values()) {
            Model fresh = a.configurationOnly();
            if (fresh.getClass() == model.getClass() && signature(fresh).equals(signature)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Each layer as "name:nOut" ("name" alone for layers without weights). */
    private static Set<String> signature(Model model) {
        List<Layer> layers = new ArrayList<>();
        if (model instanceof MultiLayerNetwork m) {
            m.getLayerWiseConfigurations().getConfs().forEach(c -> layers.add(c.getLayer()));
        } else if (model instanceof ComputationGraph g) {
            Set<String> out = new HashSet<>();
            g.getConfiguration()
                    .getVertices()
                    .forEach((name, v) -> out.add(
                            v instanceof LayerVertex lv
                                    ? entry(name, lv.getLayerConf().getLayer())
                                    : name));
            return out;
        } else {
            throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph");
        }
        Set<String> out = new HashSet<>();
        layers.forEach(l -> out.add(entry(l.getLayerName(), l)));
        return out;
    }

    private static String entry(String name, Layer layer) {
        return layer instanceof FeedForwardLayer f ? name + ":" + f.getNOut() : name;
    }

    /** An uninitialised network (configuration only, no parameters allocated): cheap, for inspection. */
    Model configurationOnly() {
        int e = defaultEpochs;
        return switch (this) {
            case LENET5 -> new MultiLayerNetwork(LeNet5.configuration(0, e, HEIGHT, WIDTH, CHANNELS));
            case VGG_MINI ->
                new MultiLayerNetwork(VggMini.configuration(VggMini.WIDTHS, 0, e, HEIGHT, WIDTH, CHANNELS));
            case VGG_MINI_W2 ->
                new MultiLayerNetwork(VggMini.configuration(VggMini.WIDE_WIDTHS, 0, e, HEIGHT, WIDTH, CHANNELS));
            case VGG_16 -> new MultiLayerNetwork(Vgg16.configuration(0, e, HEIGHT, WIDTH, CHANNELS));
            case RESNET_20 ->
                new ComputationGraph(ResNet.configuration(ResNet.RESNET_20, 0, e, HEIGHT, WIDTH, CHANNELS));
            case RESNET_32 ->
                new ComputationGraph(ResNet.configuration(ResNet.cifar(5), 0, e, HEIGHT, WIDTH, CHANNELS));
            case RESNET_56 ->
                new ComputationGraph(ResNet.configuration(ResNet.cifar(9), 0, e, HEIGHT, WIDTH, CHANNELS));
        };
    }

    public static ZooArchitecture byId(String id) {
        for (ZooArchitecture a : values()) {
            if (a.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return a;
            }
        }
        throw new UserInputException("unknown zoo model '" + id + "'; known models: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(ZooArchitecture::id).collect(Collectors.joining(", "));
    }
}
