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
import org.deeplearning4j.nn.conf.inputs.InputType;
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
                    + "with 1x1 projection shortcuts + BN, global avg pool, softmax");

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
            case VGG_MINI -> VggMini.build(seed, epochs, HEIGHT, WIDTH, CHANNELS);
            case RESNET_20 -> ResNet20.build(seed, epochs, HEIGHT, WIDTH, CHANNELS);
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

    /** The architecture whose freshly built network has the same kind and layer names as {@code model}. */
    public static Optional<ZooArchitecture> matching(Model model) {
        Set<String> names = new HashSet<>(layerNames(model));
        for (ZooArchitecture a : values()) {
            Model fresh = a.configurationOnly();
            if (fresh.getClass() == model.getClass() && new HashSet<>(layerNames(fresh)).equals(names)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** An uninitialised network (configuration only, no parameters allocated): cheap, for inspection. */
    Model configurationOnly() {
        return switch (this) {
            case LENET5 -> new MultiLayerNetwork(LeNet5.configuration(0, defaultEpochs, HEIGHT, WIDTH, CHANNELS));
            case VGG_MINI -> new MultiLayerNetwork(VggMini.configuration(0, defaultEpochs, HEIGHT, WIDTH, CHANNELS));
            case RESNET_20 -> new ComputationGraph(ResNet20.configuration(0, defaultEpochs, HEIGHT, WIDTH, CHANNELS));
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
