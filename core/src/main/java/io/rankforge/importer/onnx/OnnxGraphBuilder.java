package io.rankforge.importer.onnx;

import io.rankforge.importer.ImportedModel;
import io.rankforge.onnx.proto.OnnxProto.AttributeProto;
import io.rankforge.onnx.proto.OnnxProto.GraphProto;
import io.rankforge.onnx.proto.OnnxProto.ModelProto;
import io.rankforge.onnx.proto.OnnxProto.NodeProto;
import io.rankforge.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.rankforge.onnx.proto.OnnxProto.TensorProto;
import io.rankforge.onnx.proto.OnnxProto.TensorShapeProto;
import io.rankforge.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Turns an ONNX graph into a DL4J ComputationGraph, node by node in the graph's (topological) order. Vertex names
 * are the ONNX node names, sanitised ({@link #sanitise}); nodes that compute nothing at inference (Identity,
 * Dropout, Constant, a Reshape or Flatten of a vector) become no vertex at all.
 *
 * <p>Mapping: Conv (group 1) → ConvolutionLayer (asymmetric padding → a ZeroPaddingLayer {@code <name>_pad}
 * first); Gemm → DenseLayer (α and β folded into the weights); MatMul with a constant right-hand side →
 * DenseLayer, with the Add of a constant vector right after it folded in as its bias; BatchNormalization →
 * BatchNormalization; Relu, LeakyRelu → ActivationLayer; Add and Mul of two tensors → ElementWiseVertex, by a
 * scalar → ShiftVertex and ScaleVertex; MaxPool, AveragePool → SubsamplingLayer; GlobalAveragePool,
 * GlobalMaxPool and ReduceMean over H and W → GlobalPoolingLayer; Flatten and Reshape to [batch, C·H·W] → a
 * CNN-to-dense preprocessor vertex; Softmax → LossLayer when it is the output (so the graph can be fine-tuned),
 * else ActivationLayer. Shape, Gather, Unsqueeze, Squeeze, Concat and Cast are evaluated while importing, as the
 * shape arithmetic of a flatten ({@code x.view(x.size(0), -1)}: the batch stays symbolic), and become no vertex.
 */
final class OnnxGraphBuilder {
    static final Set<String> SUPPORTED = new TreeSet<>(Set.of(
            "Conv",
            "Gemm",
            "MatMul",
            "Add",
            "Mul",
            "BatchNormalization",
            "Relu",
            "LeakyRelu",
            "MaxPool",
            "AveragePool",
            "GlobalAveragePool",
            "GlobalMaxPool",
            "ReduceMean",
            "Flatten",
            "Reshape",
            "Softmax",
            "Identity",
            "Dropout",
            "Constant",
            "Shape",
            "Gather",
            "Unsqueeze",
            "Squeeze",
            "Concat",
            "Cast"));
    /** Operators RankForge evaluates only as shape arithmetic (PyTorch's {@code x.view(x.size(0), -1)}). */
    static final Set<String> SHAPE_ARITHMETIC = Set.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast");
    /** The batch dimension in a shape tensor computed from the graph: unknown until run time. */
    static final long BATCH = Long.MIN_VALUE;

    static final int MIN_OPSET = 13;
    static final int MAX_OPSET = 21;

    /** A tensor of the ONNX graph as a DL4J vertex output, with its DL4J type (no batch dimension). */
    private record Val(String vertex, InputType type) {}

    private record Spec(String name, Object layerOrVertex, String[] inputs) {
        boolean activatesInPlace() {
            return layerOrVertex instanceof ActivationLayer || layerOrVertex instanceof LossLayer;
        }
    }

    private final OnnxProblems problems;
    private final OnnxTensors.ExternalData external;
    private final GraphProto g;
    private final int opset;
    private final Map<String, OnnxTensors> constants = new HashMap<>();
    private final Map<String, Val> values = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<String> absorbed = new HashSet<>();
    private final Set<String> vertexNames = new HashSet<>();
    private final List<Spec> specs = new ArrayList<>();
    private final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
    private final GraphBuilder graph;
    private String outputTensor;

    private OnnxGraphBuilder(OnnxProblems problems, ModelProto model, int opset, OnnxTensors.ExternalData external) {
        this.problems = problems;
        this.external = external;
        this.g = model.getGraph();
        this.opset = opset;
        this.graph = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .activation(Activation.IDENTITY)
                .weightInit(WeightInit.ZERO) // every weight is overwritten from the ONNX initializers
                .graphBuilder();
    }

    static ImportedModel build(String file, ModelProto model, OnnxTensors.ExternalData external) {
        OnnxProblems problems = new OnnxProblems(file);
        int opset = opset(problems, model);
        checkOperators(problems, model.getGraph());
        return new OnnxGraphBuilder(problems, model, opset, external).build(model);
    }

    /** The default-domain opset, within [{@value #MIN_OPSET}, {@value #MAX_OPSET}]. */
    private static int opset(OnnxProblems problems, ModelProto model) {
        Integer version = null;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                version = (int) o.getVersion();
            }
        }
        if (version == null) {
            throw problems.error("imports no version of the standard ONNX operator set");
        }
        if (version < MIN_OPSET || version > MAX_OPSET) {
            throw problems.error("uses ONNX opset " + version + "; RankForge imports opsets " + MIN_OPSET + " to "
                    + MAX_OPSET + " (re-export with torch.onnx.export(..., opset_version=17))");
        }
        return version;
    }

    /** Every node's operator must be one RankForge converts: the first that is not fails the import. */
    static void checkOperators(OnnxProblems problems, GraphProto g) {
        for (NodeProto n : g.getNodeList()) {
            boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!standard || !SUPPORTED.contains(n.getOpType())) {
                throw problems.error("node '" + n.getName() + "' has operator '"
                        + (standard ? "" : n.getDomain() + ".") + n.getOpType()
                        + "', which RankForge cannot import (it imports " + String.join(", ", SUPPORTED) + ")");
            }
        }
    }

    private ImportedModel build(ModelProto model) {
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), OnnxTensors.of(t, "initializer '" + t.getName() + "'", problems, external));
        }
        ValueInfoProto input = networkInput();
        InputType.InputTypeConvolutional in = inputType(input);
        String inputVertex = claim(sanitise(input.getName()));
        graph.addInputs(inputVertex);
        graph.setInputTypes(in);
        values.put(input.getName(), new Val(inputVertex, in));
        if (g.getOutputCount() != 1) {
            throw problems.error("has " + g.getOutputCount() + " outputs; RankForge imports networks with one");
        }
        outputTensor = g.getOutput(0).getName();
        for (NodeProto n : g.getNodeList()) {
            for (String i : n.getInputList()) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!absorbed.contains(key(n))) {
                convert(n);
            }
        }
        Val out = values.get(outputTensor);
        if (out == null) {
            throw problems.error("its output '" + outputTensor + "' is a constant or is computed by no node");
        }
        if (out.vertex().equals(inputVertex)) {
            throw problems.error("its output is its input: the graph computes nothing");
        }
        emit(inputVertex);
        graph.setOutputs(out.vertex());
        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        params.forEach((layer, ps) -> ps.forEach((k, v) -> assign(network, layer, k, v)));
        List<String> notes = new ArrayList<>();
        notes.add("ONNX opset " + opset + " model"
                + (model.getProducerName().isEmpty()
                        ? ""
                        : " from " + model.getProducerName() + " " + model.getProducerVersion())
                + ": " + g.getNodeCount() + " nodes became " + specs.size() + " DL4J vertices named after them");
        notes.add("input '" + input.getName() + "': float32 " + in.getChannels() + "×" + in.getHeight() + "×"
                + in.getWidth() + " (NCHW), fed exactly as RankForge feeds its networks (pixels in [0, 1])");
        notes.add("output '" + outputTensor + "' is the ONNX graph's output"
                + (specs.get(specs.size() - 1).layerOrVertex() instanceof LossLayer
                        ? " (class probabilities, softmax)"
                        : " as the model computes it (for a PyTorch classifier without softmax: logits)"));
        return new ImportedModel(network, in, notes);
    }

    // ---- the network's input -----------------------------------------------------------------------

    private ValueInfoProto networkInput() {
        List<ValueInfoProto> inputs = g.getInputList().stream()
                .filter(v -> !constants.containsKey(v.getName()))
                .toList();
        if (inputs.size() != 1) {
            throw problems.error("has " + inputs.size() + " inputs (besides its weights); RankForge imports "
                    + "networks with one image input");
        }
        return inputs.get(0);
    }

    private InputType.InputTypeConvolutional inputType(ValueInfoProto input) {
        var tensor = input.getType().getTensorType();
        if (tensor.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw problems.error("its input '" + input.getName() + "' is not float32");
        }
        List<TensorShapeProto.Dimension> dims = tensor.getShape().getDimList();
        if (dims.size() != 4 || dims.subList(1, 4).stream().anyMatch(d -> !d.hasDimValue() || d.getDimValue() <= 0)) {
            throw problems.error("its input '" + input.getName() + "' has shape " + shapeText(dims)
                    + "; RankForge imports networks that take images [N, C, H, W] with C, H and W fixed");
        }
        return (InputType.InputTypeConvolutional) InputType.convolutional(
                dims.get(2).getDimValue(),
                dims.get(3).getDimValue(),
                dims.get(1).getDimValue());
    }

    private static String shapeText(List<TensorShapeProto.Dimension> dims) {
        return dims.stream()
                .map(d -> d.hasDimValue()
                        ? String.valueOf(d.getDimValue())
                        : d.getDimParam().isEmpty() ? "?" : d.getDimParam())
                .toList()
                .toString();
    }

    // ---- nodes ---------------------------------------------------------------------------------------

    private void convert(NodeProto n) {
        switch (n.getOpType()) {
            case "Constant" -> constants.put(n.getOutput(0), OnnxTensors.ofConstant(n, describe(n), problems));
            case "Identity", "Dropout" -> identity(n);
            case "Conv" -> conv(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            case "Add", "Mul" -> add(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu" ->
                activation(
                        n,
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build());
            case "LeakyRelu" ->
                activation(
                        n,
                        new ActivationLayer.Builder()
                                .activation(new ActivationLReLU(real(n, "alpha", 0.01)))
                                .build());
            case "MaxPool" -> pool(n, PoolingType.MAX);
            case "AveragePool" -> pool(n, PoolingType.AVG);
            case "GlobalAveragePool" -> globalPool(n, PoolingType.AVG, false);
            case "GlobalMaxPool" -> globalPool(n, PoolingType.MAX, false);
            case "ReduceMean" -> reduceMean(n);
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "Softmax" -> softmax(n);
            case "Shape" -> shape(n);
            case "Gather" -> gather(n);
            case "Unsqueeze", "Squeeze" -> squeeze(n);
            case "Concat" -> concat(n);
            case "Cast" -> cast(n);
            default -> throw new IllegalStateException(n.getOpType()); // checkOperators let it through
        }
    }

    private void identity(NodeProto n) {
        if (n.getOpType().equals("Dropout")
                && n.getOutputCount() > 1
                && !n.getOutput(1).isEmpty()
                && consumers.containsKey(n.getOutput(1))) {
            throw problems.error(describe(n) + " has its mask output read by another node; RankForge imports "
                    + "Dropout as the identity of inference");
        }
        String in = n.getInput(0);
        if (constants.containsKey(in)) {
            constants.put(n.getOutput(0), constants.get(in));
        } else {
            values.put(n.getOutput(0), value(n, 0));
        }
    }

    private void conv(NodeProto n) {
        Val x = value(n, 0);
        InputType.InputTypeConvolutional in = feature(n, x);
        OnnxTensors w = weight(n, 1, "weight");
        if (w.dims().length != 4) {
            throw problems.error(describe(n) + " has a " + w.dims().length + "-D weight; RankForge imports 2-D "
                    + "convolutions (4-D weights) only");
        }
        long group = integer(n, "group", 1);
        if (group != 1) {
            throw problems.error(describe(n) + " is a grouped convolution (group = " + group
                    + "); RankForge imports Conv with group = 1 only");
        }
        int m = (int) w.dims()[0], c = (int) w.dims()[1], kh = (int) w.dims()[2], kw = (int) w.dims()[3];
        if (c != in.getChannels()) {
            throw problems.error(
                    describe(n) + " has weights for " + c + " input channels, its input has " + in.getChannels());
        }
        long[] kernel = ints(n, "kernel_shape", new long[] {kh, kw});
        if (kernel.length != 2 || kernel[0] != kh || kernel[1] != kw) {
            throw problems.error(describe(n) + " declares kernel_shape " + Arrays.toString(kernel)
                    + " but its weight is " + kh + "×" + kw);
        }
        int[] stride = pair(n, "strides");
        int[] dilation = pair(n, "dilations");
        long[] pads = pads(n, in, new int[] {kh, kw}, stride, dilation);
        OnnxTensors bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2, "bias") : null;
        String name = vertexName(n);
        String source = x.vertex();
        InputType.InputTypeConvolutional padded = in;
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            String padName = claim(name + "_pad");
            padded = (InputType.InputTypeConvolutional) InputType.convolutional(
                    in.getHeight() + pads[0] + pads[2], in.getWidth() + pads[1] + pads[3], in.getChannels());
            add(
                    padName,
                    new ZeroPaddingLayer.Builder((int) pads[0], (int) pads[2], (int) pads[1], (int) pads[3]).build(),
                    source);
            source = padName;
            pads = new long[] {0, 0, 0, 0};
        }
        long outH = (padded.getHeight() + 2 * pads[0] - ((long) (kh - 1) * dilation[0] + 1)) / stride[0] + 1;
        long outW = (padded.getWidth() + 2 * pads[1] - ((long) (kw - 1) * dilation[1] + 1)) / stride[1] + 1;
        if (outH <= 0 || outW <= 0) {
            throw problems.error(describe(n) + ": its " + kh + "×" + kw + " kernel does not fit its input "
                    + in.getHeight() + "×" + in.getWidth());
        }
        ConvolutionLayer layer = new ConvolutionLayer.Builder(kh, kw)
                .stride(stride[0], stride[1])
                .padding((int) pads[0], (int) pads[1])
                .dilation(dilation[0], dilation[1])
                .nIn(c)
                .nOut(m)
                .hasBias(bias != null)
                .convolutionMode(ConvolutionMode.Truncate)
                .activation(Activation.IDENTITY)
                .build();
        add(name, layer, source);
        param(name, "W", Nd4j.create(w.floats(), new long[] {m, c, kh, kw}, 'c'));
        if (bias != null) {
            param(name, "b", vector(n, bias, m, "bias"));
        }
        values.put(n.getOutput(0), new Val(name, InputType.convolutional(outH, outW, m)));
    }

    /** ONNX pads [top, left, bottom, right], auto_pad resolved. */
    private long[] pads(NodeProto n, InputType.InputTypeConvolutional in, int[] kernel, int[] stride, int[] dilation) {
        String autoPad = string(n, "auto_pad", "NOTSET");
        long[] size = {in.getHeight(), in.getWidth()};
        switch (autoPad) {
            case "NOTSET" -> {
                long[] p = ints(n, "pads", new long[] {0, 0, 0, 0});
                if (p.length != 4) {
                    throw problems.error(describe(n) + " has pads " + Arrays.toString(p) + "; expected 4 values");
                }
                return p;
            }
            case "VALID" -> {
                return new long[] {0, 0, 0, 0};
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                long[] p = new long[4];
                for (int a = 0; a < 2; a++) {
                    long out = (size[a] + stride[a] - 1) / stride[a];
                    long total =
                            Math.max(0, (out - 1) * stride[a] + (long) (kernel[a] - 1) * dilation[a] + 1 - size[a]);
                    long small = total / 2, large = total - small;
                    p[a] = autoPad.equals("SAME_UPPER") ? small : large;
                    p[a + 2] = autoPad.equals("SAME_UPPER") ? large : small;
                }
                return p;
            }
            default -> throw problems.error(describe(n) + " has auto_pad '" + autoPad + "'");
        }
    }

    private void gemm(NodeProto n) {
        Val a = value(n, 0);
        long size = vectorSize(n, a);
        if (integer(n, "transA", 0) != 0) {
            throw problems.error(describe(n) + " transposes its input (transA = 1); RankForge imports Gemm on a "
                    + "[batch, features] input only");
        }
        OnnxTensors b = weight(n, 1, "weight");
        if (b.dims().length != 2) {
            throw problems.error(describe(n) + " has a " + b.dims().length + "-D weight; expected 2-D");
        }
        boolean transB = integer(n, "transB", 0) != 0;
        long k = transB ? b.dims()[1] : b.dims()[0];
        long out = transB ? b.dims()[0] : b.dims()[1];
        if (k != size) {
            throw problems.error(describe(n) + " multiplies " + k + " features, its input has " + size);
        }
        double alpha = real(n, "alpha", 1.0), beta = real(n, "beta", 1.0);
        INDArray weights = transB
                ? Nd4j.create(b.floats(), new long[] {out, k}, 'c').transpose().dup('c')
                : Nd4j.create(b.floats(), new long[] {k, out}, 'c');
        if (alpha != 1.0) {
            weights.muli(alpha);
        }
        INDArray bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = vector(n, weight(n, 2, "bias"), out, "bias");
            if (beta != 1.0) {
                bias.muli(beta);
            }
        }
        dense(n, vertexName(n), a, k, out, weights, bias, n.getOutput(0));
    }

    /** MatMul by a constant [K, N] matrix; an Add of a constant [N] vector reading only its result is its bias. */
    private void matMul(NodeProto n) {
        Val a = value(n, 0);
        long size = vectorSize(n, a);
        OnnxTensors b = weight(n, 1, "weight");
        if (b.dims().length != 2 || b.dims()[0] != size) {
            throw problems.error(describe(n) + " multiplies its [batch, " + size + "] input by a constant of shape "
                    + Arrays.toString(b.dims()) + "; RankForge imports MatMul by a [" + size + ", N] matrix");
        }
        long out = b.dims()[1];
        INDArray weights = Nd4j.create(b.floats(), new long[] {size, out}, 'c');
        INDArray bias = null;
        String result = n.getOutput(0);
        List<NodeProto> readers = consumers.getOrDefault(result, List.of());
        if (readers.size() == 1 && readers.get(0).getOpType().equals("Add") && !result.equals(outputTensor)) {
            NodeProto add = readers.get(0);
            String other = add.getInput(0).equals(result) ? add.getInput(1) : add.getInput(0);
            OnnxTensors c = constants.get(other);
            if (c != null && c.isFloat() && (c.count() == out || c.count() == 1)) {
                bias = vector(add, c, out, "bias");
                absorbed.add(key(add));
                result = add.getOutput(0);
            }
        }
        dense(n, vertexName(n), a, size, out, weights, bias, result);
    }

    private void dense(
            NodeProto n, String name, Val in, long nIn, long nOut, INDArray weights, INDArray bias, String output) {
        DenseLayer layer = new DenseLayer.Builder()
                .nIn(nIn)
                .nOut(nOut)
                .hasBias(bias != null)
                .activation(Activation.IDENTITY)
                .build();
        add(name, layer, in.vertex());
        param(name, "W", weights);
        if (bias != null) {
            param(name, "b", bias);
        }
        values.put(output, new Val(name, InputType.feedForward(nOut)));
    }

    /** Add or Mul: of two tensors of one shape, or of a computed tensor and a scalar constant. */
    private void add(NodeProto n) {
        boolean mul = n.getOpType().equals("Mul");
        boolean c0 = constants.containsKey(n.getInput(0)), c1 = constants.containsKey(n.getInput(1));
        if (c0 && c1) {
            throw problems.error(describe(n) + " combines two constants; RankForge imports " + n.getOpType()
                    + " of computed tensors");
        }
        if (c0 || c1) {
            Val x = value(n, c0 ? 1 : 0);
            OnnxTensors c = constants.get(n.getInput(c0 ? 0 : 1));
            if (!c.isFloat() || c.count() != 1) {
                throw problems.error(describe(n) + " combines a tensor with a constant of shape "
                        + Arrays.toString(c.dims()) + "; RankForge imports " + n.getOpType()
                        + " of two computed tensors or by a scalar"
                        + (mul ? "" : ", and a bias Add right after MatMul"));
            }
            String name = vertexName(n);
            add(name, mul ? new ScaleVertex(c.floats()[0]) : new ShiftVertex(c.floats()[0]), x.vertex());
            values.put(n.getOutput(0), new Val(name, x.type()));
            return;
        }
        Val a = value(n, 0), b = value(n, 1);
        if (!a.type().equals(b.type())) {
            throw problems.error(describe(n) + " combines tensors of different shapes (" + a.type() + " and " + b.type()
                    + "); RankForge imports " + n.getOpType() + " without broadcasting");
        }
        String name = vertexName(n);
        add(
                name,
                new ElementWiseVertex(mul ? ElementWiseVertex.Op.Product : ElementWiseVertex.Op.Add),
                a.vertex(),
                b.vertex());
        values.put(n.getOutput(0), new Val(name, a.type()));
    }

    private void batchNorm(NodeProto n) {
        Val x = value(n, 0);
        if (integer(n, "training_mode", 0) != 0) {
            throw problems.error(describe(n) + " is in training mode; export the model in eval mode");
        }
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && consumers.containsKey(n.getOutput(i))) {
                throw problems.error(describe(n) + " has its running statistics read by another node");
            }
        }
        long c = x.type() instanceof InputType.InputTypeConvolutional t ? t.getChannels() : vectorSize(n, x);
        INDArray gamma = vector(n, weight(n, 1, "scale"), c, "scale");
        INDArray beta = vector(n, weight(n, 2, "bias"), c, "bias");
        INDArray mean = vector(n, weight(n, 3, "mean"), c, "mean");
        INDArray var = vector(n, weight(n, 4, "var"), c, "var");
        String name = vertexName(n);
        add(
                name,
                new BatchNormalization.Builder()
                        .nIn(c)
                        .nOut(c)
                        .eps(real(n, "epsilon", 1e-5))
                        .useLogStd(false)
                        .activation(Activation.IDENTITY)
                        .build(),
                x.vertex());
        param(name, BatchNormalizationParamInitializer.GAMMA, gamma);
        param(name, BatchNormalizationParamInitializer.BETA, beta);
        param(name, BatchNormalizationParamInitializer.GLOBAL_MEAN, mean);
        param(name, BatchNormalizationParamInitializer.GLOBAL_VAR, var);
        values.put(n.getOutput(0), new Val(name, x.type()));
    }

    private void activation(NodeProto n, Layer layer) {
        Val x = value(n, 0);
        String name = vertexName(n);
        add(name, layer, x.vertex());
        values.put(n.getOutput(0), new Val(name, x.type()));
    }

    private void pool(NodeProto n, PoolingType type) {
        Val x = value(n, 0);
        InputType.InputTypeConvolutional in = feature(n, x);
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumers.containsKey(n.getOutput(1))) {
            throw problems.error(describe(n) + " has its indices output read by another node");
        }
        long[] k = ints(n, "kernel_shape", null);
        if (k == null || k.length != 2) {
            throw problems.error(describe(n) + " needs a 2-D kernel_shape");
        }
        int[] kernel = {(int) k[0], (int) k[1]};
        int[] stride = pair(n, "strides");
        int[] dilation = pair(n, "dilations");
        if (dilation[0] != 1 || dilation[1] != 1) {
            throw problems.error(describe(n) + " is dilated; RankForge imports pooling with dilation 1");
        }
        long[] pads = pads(n, in, kernel, stride, dilation);
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            throw problems.error(describe(n) + " pads asymmetrically " + Arrays.toString(pads)
                    + "; RankForge imports pooling with equal padding on both sides");
        }
        long outH = (in.getHeight() + 2 * pads[0] - kernel[0]) / stride[0] + 1;
        long outW = (in.getWidth() + 2 * pads[1] - kernel[1]) / stride[1] + 1;
        if (integer(n, "ceil_mode", 0) != 0) {
            long ceilH = -Math.floorDiv(-(in.getHeight() + 2 * pads[0] - kernel[0]), stride[0]) + 1;
            long ceilW = -Math.floorDiv(-(in.getWidth() + 2 * pads[1] - kernel[1]), stride[1]) + 1;
            if (ceilH != outH || ceilW != outW) {
                throw problems.error(describe(n) + " rounds its output size up (ceil_mode = 1) where that adds a "
                        + "row or column; RankForge imports ceil_mode = 0");
            }
        }
        if (outH <= 0 || outW <= 0) {
            throw problems.error(
                    describe(n) + ": its kernel does not fit its input " + in.getHeight() + "×" + in.getWidth());
        }
        String name = vertexName(n);
        add(
                name,
                new SubsamplingLayer.Builder(type)
                        .kernelSize(kernel[0], kernel[1])
                        .stride(stride[0], stride[1])
                        .padding((int) pads[0], (int) pads[1])
                        .convolutionMode(ConvolutionMode.Truncate)
                        .avgPoolIncludePadInDivisor(integer(n, "count_include_pad", 0) != 0)
                        .build(),
                x.vertex());
        values.put(n.getOutput(0), new Val(name, InputType.convolutional(outH, outW, in.getChannels())));
    }

    private void globalPool(NodeProto n, PoolingType type, boolean collapse) {
        Val x = value(n, 0);
        InputType.InputTypeConvolutional in = feature(n, x);
        String name = vertexName(n);
        add(
                name,
                new GlobalPoolingLayer.Builder(type)
                        .collapseDimensions(collapse)
                        .build(),
                x.vertex());
        values.put(
                n.getOutput(0),
                new Val(
                        name,
                        collapse
                                ? InputType.feedForward(in.getChannels())
                                : InputType.convolutional(1, 1, in.getChannels())));
    }

    /** ReduceMean over the two spatial axes is global average pooling. */
    private void reduceMean(NodeProto n) {
        long[] axes = ints(n, "axes", null);
        if (axes == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            OnnxTensors t = constants.get(n.getInput(1));
            if (t == null || t.longs() == null) {
                throw problems.error(describe(n) + " takes its axes from a computed tensor");
            }
            axes = t.longs();
        }
        Set<Long> a = new HashSet<>();
        for (long v : axes == null ? new long[0] : axes) {
            a.add(v < 0 ? v + 4 : v);
        }
        if (!a.equals(Set.of(2L, 3L))) {
            throw problems.error(describe(n) + " averages over axes " + Arrays.toString(axes)
                    + "; RankForge imports ReduceMean over the spatial axes [2, 3] (global average pooling) only");
        }
        globalPool(n, PoolingType.AVG, integer(n, "keepdims", 1) == 0);
    }

    private void flatten(NodeProto n) {
        long axis = integer(n, "axis", 1);
        if (axis != 1) {
            throw problems.error(describe(n) + " flattens from axis " + axis + "; RankForge imports Flatten(axis=1)");
        }
        toVector(n, value(n, 0));
    }

    private void reshape(NodeProto n) {
        Val x = value(n, 0);
        OnnxTensors shape = constants.get(n.getInput(1));
        if (shape == null || shape.longs() == null) {
            throw problems.error(describe(n) + " takes its shape from a computed tensor; RankForge imports Reshape "
                    + "with a constant shape (an initializer or a Constant node)");
        }
        long[] s = shape.longs(); // s[0] is the batch: a number, -1, 0 or the symbolic BATCH of Shape
        long size = x.type().arrayElementsPerExample();
        if (s.length == 2 && (s[1] == size || s[1] == -1)) {
            toVector(n, x); // [batch, features]: the first dimension is the batch, whatever its value
            return;
        }
        if (x.type() instanceof InputType.InputTypeConvolutional c
                && s.length == 4
                && s[1] == c.getChannels()
                && s[2] == c.getHeight()
                && s[3] == c.getWidth()) {
            values.put(n.getOutput(0), x);
            return;
        }
        throw problems.error(describe(n) + " reshapes a " + x.type() + " tensor to " + Arrays.toString(s)
                + "; RankForge imports Reshape to [batch, features] (flattening) only");
    }

    /** Flattening: a CNN-to-dense preprocessor vertex for a feature map (C order of [C, H, W]); a vector stays. */
    private void toVector(NodeProto n, Val x) {
        if (x.type() instanceof InputType.InputTypeFeedForward) {
            values.put(n.getOutput(0), x);
            return;
        }
        InputType.InputTypeConvolutional c = feature(n, x);
        String name = vertexName(n);
        add(
                name,
                new PreprocessorVertex(new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels())),
                x.vertex());
        values.put(n.getOutput(0), new Val(name, InputType.feedForward(c.arrayElementsPerExample())));
    }

    private void softmax(NodeProto n) {
        Val x = value(n, 0);
        long size = vectorSize(n, x);
        long axis = integer(n, "axis", opset >= 13 ? -1 : 1);
        if (axis != 1 && axis != -1) {
            throw problems.error(describe(n) + " normalises along axis " + axis + " of a [batch, " + size
                    + "] tensor; RankForge imports Softmax over the classes (axis 1)");
        }
        String name = vertexName(n);
        Layer layer;
        if (n.getOutput(0).equals(outputTensor)) {
            LossLayer loss = new LossLayer.Builder(LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX)
                    .build();
            loss.setNIn(size); // parameter-free, but DL4J's shape inference reports its nOut
            loss.setNOut(size);
            layer = loss;
        } else {
            layer = new ActivationLayer.Builder().activation(Activation.SOFTMAX).build();
        }
        add(name, layer, x.vertex());
        values.put(n.getOutput(0), new Val(name, x.type()));
    }

    // ---- shape arithmetic ---------------------------------------------------------------------------

    /** The shape of a computed tensor: [batch, C, H, W] or [batch, features], the batch symbolic. */
    private void shape(NodeProto n) {
        Val x = value(n, 0);
        long[] dims = x.type() instanceof InputType.InputTypeConvolutional c
                ? new long[] {BATCH, c.getChannels(), c.getHeight(), c.getWidth()}
                : new long[] {BATCH, vectorSize(n, x)};
        int rank = dims.length;
        long start = integer(n, "start", 0), end = integer(n, "end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(start, Math.min(rank, end < 0 ? end + rank : end));
        long[] v = Arrays.copyOfRange(dims, (int) start, (int) end);
        constants.put(n.getOutput(0), new OnnxTensors(n.getOutput(0), new long[] {v.length}, null, v));
    }

    private void gather(NodeProto n) {
        OnnxTensors data = shapeInput(n, 0), indices = shapeInput(n, 1);
        if (integer(n, "axis", 0) != 0 || data.dims().length != 1) {
            throw problems.error(describe(n) + " gathers along axis " + integer(n, "axis", 0) + " of a "
                    + data.dims().length + "-D tensor; RankForge imports Gather only as shape arithmetic");
        }
        long[] v = new long[indices.longs().length];
        for (int i = 0; i < v.length; i++) {
            long k = indices.longs()[i];
            int at = (int) (k < 0 ? k + data.longs().length : k);
            if (at < 0 || at >= data.longs().length) {
                throw problems.error(describe(n) + " gathers index " + k + " of " + data.longs().length + " values");
            }
            v[i] = data.longs()[at];
        }
        constants.put(n.getOutput(0), new OnnxTensors(n.getOutput(0), indices.dims(), null, v));
    }

    /** Unsqueeze and Squeeze of a shape tensor change its dimensions only, never its values. */
    private void squeeze(NodeProto n) {
        OnnxTensors data = shapeInput(n, 0);
        long[] dims = data.dims();
        boolean unsqueeze = n.getOpType().equals("Unsqueeze");
        if (unsqueeze && dims.length == 0) {
            dims = new long[] {1};
        } else if (!unsqueeze && dims.length == 1 && dims[0] == 1) {
            dims = new long[0];
        } else {
            throw problems.error(describe(n) + " on a " + dims.length + "-D tensor; RankForge imports " + n.getOpType()
                    + " only as the shape arithmetic of a flatten");
        }
        constants.put(n.getOutput(0), new OnnxTensors(n.getOutput(0), dims, null, data.longs()));
    }

    private void concat(NodeProto n) {
        long axis = integer(n, "axis", 0);
        List<Long> v = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) {
            OnnxTensors t = shapeInput(n, i);
            if (t.dims().length != 1 || (axis != 0 && axis != -1)) {
                throw problems.error(describe(n) + " concatenates along axis " + axis + "; RankForge imports Concat "
                        + "only as shape arithmetic (1-D integer tensors)");
            }
            for (long x : t.longs()) {
                v.add(x);
            }
        }
        long[] out = v.stream().mapToLong(Long::longValue).toArray();
        constants.put(n.getOutput(0), new OnnxTensors(n.getOutput(0), new long[] {out.length}, null, out));
    }

    /** Cast of a shape tensor to another integer type keeps it; of a float tensor to float32, nothing happens. */
    private void cast(NodeProto n) {
        long to = integer(n, "to", 0);
        String in = n.getInput(0);
        if (constants.containsKey(in)
                && constants.get(in).longs() != null
                && (to == TensorProto.DataType.INT64_VALUE || to == TensorProto.DataType.INT32_VALUE)) {
            constants.put(n.getOutput(0), constants.get(in));
        } else if (values.containsKey(in) && to == TensorProto.DataType.FLOAT_VALUE) {
            values.put(n.getOutput(0), values.get(in));
        } else {
            throw problems.error(describe(n) + " casts to data type " + to + "; RankForge imports Cast of integer "
                    + "shapes, or of float32 tensors to float32");
        }
    }

    private OnnxTensors shapeInput(NodeProto n, int input) {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            throw problems.error(describe(n) + " lacks input " + input);
        }
        OnnxTensors t = constants.get(n.getInput(input));
        if (t == null || t.longs() == null) {
            throw problems.error(describe(n) + " reads the tensor '" + n.getInput(input) + "', which is not an "
                    + "integer shape; RankForge imports " + n.getOpType() + " only as shape arithmetic (e.g. "
                    + "x.view(x.size(0), -1))");
        }
        return t;
    }

    // ---- graph bookkeeping ------------------------------------------------------------------------

    private void add(String name, Object layerOrVertex, String... inputs) {
        specs.add(new Spec(name, layerOrVertex, inputs));
    }

    /**
     * Adds every vertex to the DL4J graph. An activation layer whose input array is read by another vertex too (or
     * is the network's input) first gets its own copy, a ScaleVertex(1) named {@code <name>_copy}: DL4J applies
     * activation layers to their input array in place at inference, and ONNX computes every branch on an unmodified
     * tensor.
     */
    private void emit(String networkInput) {
        Map<String, Integer> readers = new HashMap<>();
        for (Spec s : specs) {
            for (String in : s.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        for (Spec s : specs) {
            String[] inputs = s.inputs();
            if (s.activatesInPlace() && (inputs[0].equals(networkInput) || readers.get(inputs[0]) > 1)) {
                String copy = claim(s.name() + "_copy");
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

    private void param(String layer, String key, INDArray value) {
        params.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(key, value);
    }

    private static void assign(ComputationGraph network, String layer, String key, INDArray value) {
        INDArray target = network.getLayer(layer).getParam(key);
        if (target.length() != value.length()) {
            throw new IllegalStateException("parameter " + layer + "." + key + " has " + target.length()
                    + " values, the import computed " + value.length());
        }
        INDArray shaped = Arrays.equals(target.shape(), value.shape()) ? value : value.reshape('c', target.shape());
        network.getLayer(layer).setParam(key, shaped.castTo(target.dataType()));
    }

    /** The vertex name of a node: its sanitised ONNX name (or output name when unnamed), made unique. */
    private String vertexName(NodeProto n) {
        String base = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        return claim(sanitise(base));
    }

    private String claim(String base) {
        String name = base;
        for (int i = 2; !vertexNames.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /**
     * An ONNX name as a DL4J vertex name: characters other than letters, digits, '_' and '-' become '_' (runs
     * collapsed), leading and trailing '_' dropped; PyTorch's "/layer1/conv/Conv" becomes "layer1_conv_Conv".
     */
    static String sanitise(String onnxName) {
        String s = onnxName.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "node" : s;
    }

    // ---- inputs, attributes ----------------------------------------------------------------------

    private Val value(NodeProto n, int input) {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            throw problems.error(describe(n) + " lacks input " + input);
        }
        String name = n.getInput(input);
        Val v = values.get(name);
        if (v == null) {
            if (constants.containsKey(name)) {
                throw problems.error(describe(n) + " reads the constant '" + name + "' where RankForge expects a "
                        + "computed tensor");
            }
            throw problems.error(describe(n) + " reads '" + name + "', which no earlier node computes (the graph "
                    + "is not in topological order, or the file is incomplete)");
        }
        return v;
    }

    private OnnxTensors weight(NodeProto n, int input, String what) {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            throw problems.error(describe(n) + " lacks its " + what);
        }
        OnnxTensors t = constants.get(n.getInput(input));
        if (t == null) {
            throw problems.error(describe(n) + " takes its " + what + " '" + n.getInput(input)
                    + "' from a computed tensor or a missing initializer; RankForge imports constant weights");
        }
        if (!t.isFloat()) {
            throw problems.error(describe(n) + " has a non-float " + what + " '" + n.getInput(input) + "'");
        }
        return t;
    }

    private INDArray vector(NodeProto n, OnnxTensors t, long size, String what) {
        if (t.count() == size) {
            return Nd4j.create(t.floats(), new long[] {1, size}, 'c');
        }
        if (t.count() == 1) {
            return Nd4j.valueArrayOf(new long[] {1, size}, t.floats()[0], DataType.FLOAT);
        }
        throw problems.error(describe(n) + " has a " + what + " of shape " + Arrays.toString(t.dims()) + ", expected "
                + size + " values");
    }

    private InputType.InputTypeConvolutional feature(NodeProto n, Val x) {
        if (x.type() instanceof InputType.InputTypeConvolutional c) {
            return c;
        }
        throw problems.error(describe(n) + " needs a feature map [batch, C, H, W], its input is " + x.type());
    }

    private long vectorSize(NodeProto n, Val x) {
        if (x.type() instanceof InputType.InputTypeFeedForward f) {
            return f.getSize();
        }
        throw problems.error(
                describe(n) + " needs a [batch, features] input, its input is " + x.type() + " (flatten it first)");
    }

    private static String describe(NodeProto n) {
        return n.getOpType() + " node '" + n.getName() + "'";
    }

    private static String key(NodeProto n) {
        return n.getName() + "\u0000" + String.join("\u0000", n.getOutputList());
    }

    private static AttributeProto attribute(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static long integer(NodeProto n, String name, long fallback) {
        AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getI();
    }

    private static double real(NodeProto n, String name, double fallback) {
        AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getF();
    }

    private static String string(NodeProto n, String name, String fallback) {
        AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    private static long[] ints(NodeProto n, String name, long[] fallback) {
        AttributeProto a = attribute(n, name);
        return a == null
                ? fallback
                : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private int[] pair(NodeProto n, String name) {
        long[] v = ints(n, name, new long[] {1, 1});
        if (v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw problems.error(
                    describe(n) + " has " + name + " " + Arrays.toString(v) + "; expected two values >= 1");
        }
        return new int[] {(int) v[0], (int) v[1]};
    }
}
