package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.caffe.proto.CaffeProto.BatchNormParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.ConvolutionParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.EltwiseParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.InnerProductParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
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
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
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
 * Turns a Caffe network definition plus its trained weights into a DL4J ComputationGraph, one Caffe
 * layer at a time, keeping Caffe's layer names as vertex names.
 *
 * <p>Mapping: Convolution → ConvolutionLayer; BatchNorm (+ the Scale right after it) → one
 * BatchNormalization named after the BatchNorm; ReLU → ActivationLayer; Eltwise → ElementWiseVertex;
 * Pooling → SubsamplingLayer (plus a crop named {@code <name>_ceil} where Caffe rounds the size up) or,
 * global, GlobalPoolingLayer; InnerProduct → DenseLayer; Softmax → LossLayer when it is the network's
 * output (so the graph can be fine-tuned), ActivationLayer otherwise; Dropout → nothing (identity at
 * test time). Loss and Accuracy layers only serve training in Caffe and are left out.
 */
final class CaffeGraphBuilder {
    static final Set<String> TRAINING_ONLY = Set.of(
            "Accuracy",
            "SoftmaxWithLoss",
            "EuclideanLoss",
            "SigmoidCrossEntropyLoss",
            "HingeLoss",
            "InfogainLoss",
            "ContrastiveLoss",
            "MultinomialLogisticLoss",
            "Silence");
    static final Set<String> CONVERTED = Set.of(
            "Convolution", "BatchNorm", "Scale", "ReLU", "Eltwise", "Pooling", "InnerProduct", "Softmax", "Dropout");

    private record Node(String vertex, FeatureShape shape) {}

    /** One vertex to add: a DL4J layer or a graph vertex, and the names of its inputs. */
    private record Spec(String name, Object layerOrVertex, String[] inputs) {
        boolean activatesInPlace() {
            // DL4J applies these activations to their input array itself at inference time
            return layerOrVertex instanceof ActivationLayer || layerOrVertex instanceof LossLayer;
        }
    }

    private final NetParameter definition;
    private final Map<String, LayerParameter> weights;
    private final GraphBuilder graph;
    private final Map<String, Node> blobs = new HashMap<>();
    private final Set<String> vertexNames = new HashSet<>();
    private final List<Spec> specs = new ArrayList<>();
    private final Set<String> consumed = new HashSet<>();
    private final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int foldedScales;

    private CaffeGraphBuilder(NetParameter definition, NetParameter trained) {
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

    /** The TEST-phase layers, after checking that each has a type this importer converts (or may leave out). */
    static List<LayerParameter> testLayers(NetParameter definition) {
        List<LayerParameter> test =
                definition.getLayerList().stream().filter(CaffePhase::inTestNet).toList();
        for (LayerParameter l : test) {
            String type = l.getType();
            if (!CONVERTED.contains(type) && !TRAINING_ONLY.contains(type) && !CaffeInput.INPUT_TYPES.contains(type)) {
                throw new UserInputException("Caffe layer '" + l.getName() + "' has type '" + type
                        + "', which RankForge cannot import (it imports " + new TreeSet<>(CONVERTED) + ")");
            }
        }
        return test;
    }

    static ImportedModel build(NetParameter definition, NetParameter trained, Optional<int[]> inputShape) {
        return new CaffeGraphBuilder(definition, trained).build(inputShape);
    }

    private ImportedModel build(Optional<int[]> inputShape) {
        List<LayerParameter> test = testLayers(definition);
        CaffeInput input = CaffeInput.find(definition, test, weights, inputShape);
        FeatureShape in = input.shape();
        graph.addInputs(input.blob());
        graph.setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()));
        vertexNames.add(input.blob());
        blobs.put(input.blob(), new Node(input.blob(), in));
        addInputTransform(input);

        List<LayerParameter> kept =
                test.stream().filter(l -> CONVERTED.contains(l.getType())).toList();
        List<String> skipped = test.stream()
                .filter(l -> TRAINING_ONLY.contains(l.getType()))
                .map(LayerParameter::getName)
                .toList();
        for (int i = 0; i < kept.size(); i++) {
            LayerParameter l = kept.get(i);
            switch (l.getType()) {
                case "Convolution" -> addConvolution(l);
                case "BatchNorm" -> {
                    LayerParameter next = i + 1 < kept.size() ? kept.get(i + 1) : null;
                    boolean fold = next != null
                            && next.getType().equals("Scale")
                            && next.getBottomCount() == 1
                            && l.getTopCount() == 1
                            && next.getBottom(0).equals(l.getTop(0));
                    addBatchNorm(l, fold ? next : null);
                    if (fold) {
                        i++;
                    }
                }
                case "Scale" ->
                    throw new UserInputException("Caffe layer '" + l.getName() + "' (Scale) does not "
                            + "directly follow a BatchNorm; RankForge imports Scale only as part of BatchNorm + Scale");
                case "ReLU" -> addRelu(l);
                case "Eltwise" -> addEltwise(l);
                case "Pooling" -> addPooling(l);
                case "InnerProduct" -> addInnerProduct(l);
                case "Softmax" -> addSoftmax(l, isReadAfter(l, kept.subList(i + 1, kept.size())));
                case "Dropout" -> addDropout(l);
                default -> throw new IllegalStateException(l.getType());
            }
        }
        List<String> outputs = specs.stream()
                .map(Spec::name)
                .filter(v -> !consumed.contains(v))
                .toList();
        if (outputs.isEmpty()) {
            throw new UserInputException("Caffe network '" + definition.getName() + "' has no layer to import");
        }
        emit(input.blob());
        graph.setOutputs(outputs.toArray(String[]::new));
        ComputationGraphConfiguration conf = graph.build();
        ComputationGraph network = new ComputationGraph(conf);
        network.init();
        params.forEach((layer, values) -> values.forEach((key, value) -> assign(network, layer, key, value)));

        if (input.unitPixels()) {
            notes.add("input: pixels in [0, 1], " + in.channels() + "×" + in.height() + "×" + in.width()
                    + " (NCHW); the graph multiplies by 255 and applies Caffe's data transform"
                    + (input.means().length > 0 ? " (− mean " + Arrays.toString(input.means()) + ")" : "")
                    + (input.scale() != 1f ? " (× " + input.scale() + ")" : ""));
        } else {
            notes.add("input: the blob '" + input.blob() + "' exactly as Caffe takes it, " + in.channels() + "×"
                    + in.height() + "×" + in.width() + " (NCHW)");
        }
        if (foldedScales > 0) {
            notes.add(foldedScales
                    + " Scale layers folded into the BatchNorm layers before them (named after the BatchNorm)");
        }
        if (!skipped.isEmpty()) {
            notes.add("training-only layers left out: " + String.join(", ", skipped));
        }
        return new ImportedModel(network, InputType.convolutional(in.height(), in.width(), in.channels()), notes);
    }

    // ---- input ---------------------------------------------------------------------------------

    /** Caffe's {@code (pixel − mean) × scale}, as parameter-free vertices (nothing here can be trained). */
    private void addInputTransform(CaffeInput input) {
        float pixel = input.unitPixels() ? 255f : 1f;
        float[] means = input.means();
        Node current = blobs.get(input.blob());
        if (means.length > 0) {
            boolean uniform = true;
            for (float m : means) {
                uniform &= m == means[0];
            }
            String meanName = unique(input.blob() + "_mean");
            if (uniform) {
                addVertex(meanName, new ShiftVertex(-means[0] / pixel), current.shape(), current.vertex());
            } else {
                String[] channels = new String[means.length];
                for (int c = 0; c < means.length; c++) {
                    String subset = unique(input.blob() + "_c" + c);
                    addVertex(subset, new SubsetVertex(c, c), current.shape(), current.vertex());
                    channels[c] = unique(input.blob() + "_mean_c" + c);
                    addVertex(channels[c], new ShiftVertex(-means[c] / pixel), current.shape(), subset);
                }
                addVertex(meanName, new MergeVertex(), current.shape(), channels);
            }
            current = new Node(meanName, current.shape());
        }
        double factor = (double) pixel * input.scale();
        if (factor != 1.0) {
            String scaleName = unique(input.blob() + "_scale");
            addVertex(scaleName, new ScaleVertex(factor), current.shape(), current.vertex());
            current = new Node(scaleName, current.shape());
        }
        blobs.put(input.blob(), current);
    }

    // ---- layers --------------------------------------------------------------------------------

    private void addConvolution(LayerParameter l) {
        ConvolutionParameter p = l.getConvolutionParam();
        FeatureShape in = mapInput(l);
        if (p.getGroup() != 1) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' is a grouped convolution (group = "
                    + p.getGroup() + "); RankForge imports group = 1 only");
        }
        if (p.getAxis() != 1) {
            unsupportedAxis(l, p.getAxis());
        }
        int[] kernel = pair(
                l,
                "kernel",
                p.hasKernelH() || p.hasKernelW(),
                p.getKernelH(),
                p.getKernelW(),
                p.getKernelSizeList(),
                -1);
        int[] stride = pair(
                l, "stride", p.hasStrideH() || p.hasStrideW(), p.getStrideH(), p.getStrideW(), p.getStrideList(), 1);
        int[] pad = pair(l, "pad", p.hasPadH() || p.hasPadW(), p.getPadH(), p.getPadW(), p.getPadList(), 0);
        int[] dilation = pair(l, "dilation", false, 0, 0, p.getDilationList(), 1);
        int n = p.getNumOutput();
        if (n <= 0) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (Convolution) sets no num_output");
        }
        int outH = (in.height() + 2 * pad[0] - (dilation[0] * (kernel[0] - 1) + 1)) / stride[0] + 1;
        int outW = (in.width() + 2 * pad[1] - (dilation[1] * (kernel[1] - 1) + 1)) / stride[1] + 1;
        if (outH <= 0 || outW <= 0) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (Convolution): kernel " + kernel[0] + "x"
                    + kernel[1] + " does not fit its input " + in);
        }
        List<CaffeBlob> b = blobsOf(l, p.getBiasTerm() ? 2 : 1);
        CaffeBlob w = b.get(0).requireCount((long) n * in.channels() * kernel[0] * kernel[1], l.getName(), "weight");
        ConvolutionLayer layer = new ConvolutionLayer.Builder(kernel[0], kernel[1])
                .stride(stride[0], stride[1])
                .padding(pad[0], pad[1])
                .dilation(dilation[0], dilation[1])
                .nIn(in.channels())
                .nOut(n)
                .hasBias(p.getBiasTerm())
                .convolutionMode(ConvolutionMode.Truncate)
                .activation(Activation.IDENTITY)
                .build();
        String name = addLayer(l, layer, FeatureShape.map(n, outH, outW), input(l, 0));
        param(name, "W", Nd4j.create(w.data(), new long[] {n, in.channels(), kernel[0], kernel[1]}, 'c'));
        if (p.getBiasTerm()) {
            param(name, "b", vector(b.get(1).requireCount(n, l.getName(), "bias")));
        }
    }

    /** Caffe's BatchNorm (global statistics ÷ the moving-average factor) and, folded in, the Scale after it. */
    private void addBatchNorm(LayerParameter bn, LayerParameter scale) {
        FeatureShape in = blobShape(bn, 0);
        int c = in.channels();
        BatchNormParameter p = bn.getBatchNormParam();
        List<CaffeBlob> b = blobsOf(bn, 3);
        float[] mean = b.get(0).requireCount(c, bn.getName(), "mean").data();
        float[] var = b.get(1).requireCount(c, bn.getName(), "variance").data();
        float stored =
                b.get(2).requireCount(1, bn.getName(), "moving-average factor").data()[0];
        float factor = stored == 0f ? 0f : 1f / stored; // Caffe's own rule (batch_norm_layer.cpp)
        float[] gamma = new float[c];
        float[] beta = new float[c];
        Arrays.fill(gamma, 1f);
        float[] m = new float[c];
        float[] v = new float[c];
        for (int i = 0; i < c; i++) {
            m[i] = mean[i] * factor;
            v[i] = var[i] * factor;
        }
        String top = bn.getTop(0);
        if (scale != null) {
            if (scale.getScaleParam().getAxis() != 1 || scale.getScaleParam().getNumAxes() != 1) {
                throw new UserInputException("Caffe layer '" + scale.getName() + "' (Scale) scales along axis "
                        + scale.getScaleParam().getAxis() + " over "
                        + scale.getScaleParam().getNumAxes()
                        + " axes; RankForge imports per-channel scales (axis 1, num_axes 1) only");
            }
            boolean bias = scale.getScaleParam().getBiasTerm();
            List<CaffeBlob> s = blobsOf(scale, bias ? 2 : 1);
            gamma = s.get(0).requireCount(c, scale.getName(), "scale").data().clone();
            if (bias) {
                beta = s.get(1).requireCount(c, scale.getName(), "bias").data().clone();
            }
            top = scale.getTop(0);
            foldedScales++;
        }
        BatchNormalization layer = new BatchNormalization.Builder()
                .nIn(c)
                .nOut(c)
                .eps(p.getEps())
                .useLogStd(false)
                .activation(Activation.IDENTITY)
                .build();
        String name = addLayer(bn.getName(), layer, in, top, input(bn, 0));
        param(name, BatchNormalizationParamInitializer.GAMMA, Nd4j.create(gamma));
        param(name, BatchNormalizationParamInitializer.BETA, Nd4j.create(beta));
        param(name, BatchNormalizationParamInitializer.GLOBAL_MEAN, Nd4j.create(m));
        param(name, BatchNormalizationParamInitializer.GLOBAL_VAR, Nd4j.create(v));
    }

    private void addRelu(LayerParameter l) {
        float slope = l.getReluParam().getNegativeSlope();
        ActivationLayer layer = new ActivationLayer.Builder()
                .activation(slope == 0f ? Activation.RELU.getActivationFunction() : new ActivationLReLU(slope))
                .build();
        addLayer(l, layer, blobShape(l, 0), input(l, 0));
    }

    private void addEltwise(LayerParameter l) {
        if (l.getBottomCount() < 2) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (Eltwise) needs at least two inputs");
        }
        FeatureShape shape = blobShape(l, 0);
        String[] inputs = new String[l.getBottomCount()];
        for (int i = 0; i < inputs.length; i++) {
            if (!blobShape(l, i).equals(shape)) {
                throw new UserInputException("Caffe layer '" + l.getName() + "' (Eltwise) adds blobs of different "
                        + "shapes " + shape + " and " + blobShape(l, i));
            }
            inputs[i] = input(l, i);
        }
        EltwiseParameter p = l.getEltwiseParam();
        ElementWiseVertex.Op op = switch (p.getOperation()) {
            case PROD -> ElementWiseVertex.Op.Product;
            case MAX -> ElementWiseVertex.Op.Max;
            case SUM -> sumOp(l, p);
        };
        addVertex(l.getName(), l.getTop(0), new ElementWiseVertex(op), shape, inputs);
    }

    private static ElementWiseVertex.Op sumOp(LayerParameter l, EltwiseParameter p) {
        List<Float> coeff = p.getCoeffList();
        if (coeff.isEmpty() || coeff.stream().allMatch(c -> c == 1f)) {
            return ElementWiseVertex.Op.Add;
        }
        if (coeff.size() == 2 && coeff.get(0) == 1f && coeff.get(1) == -1f) {
            return ElementWiseVertex.Op.Subtract;
        }
        throw new UserInputException("Caffe layer '" + l.getName() + "' (Eltwise) sums with coefficients " + coeff
                + "; RankForge imports plain sums (all 1) and differences (1, -1) only");
    }

    private void addPooling(LayerParameter l) {
        FeatureShape in = mapInput(l);
        CaffePooling plan = CaffePooling.plan(l.getName(), l.getPoolingParam(), in);
        PoolingType type = plan.max() ? PoolingType.MAX : PoolingType.AVG;
        FeatureShape out = FeatureShape.map(in.channels(), plan.outH(), plan.outW());
        if (l.getPoolingParam().getGlobalPooling()) {
            // keeps the 1×1 spatial axes, as Caffe does, so any layer type may follow
            addLayer(
                    l,
                    new GlobalPoolingLayer.Builder(type)
                            .collapseDimensions(false)
                            .build(),
                    out,
                    input(l, 0));
            return;
        }
        SubsamplingLayer pool = new SubsamplingLayer.Builder(type)
                .kernelSize(plan.kernelH(), plan.kernelW())
                .stride(plan.strideH(), plan.strideW())
                .padding(plan.padH(), plan.padW())
                .convolutionMode(ConvolutionMode.Truncate)
                .avgPoolIncludePadInDivisor(!plan.excludePadding())
                .build();
        if (!plan.needsCrop()) {
            addLayer(l, pool, out, input(l, 0));
            return;
        }
        FeatureShape padded =
                FeatureShape.map(in.channels(), plan.outH() + plan.cropTop(), plan.outW() + plan.cropLeft());
        String poolName = addLayer(l.getName(), pool, padded, null, input(l, 0));
        addLayer(
                unique(l.getName() + "_ceil"),
                new Cropping2D(plan.cropTop(), 0, plan.cropLeft(), 0),
                out,
                l.getTop(0),
                poolName);
    }

    private void addInnerProduct(LayerParameter l) {
        InnerProductParameter p = l.getInnerProductParam();
        if (p.getAxis() != 1) {
            unsupportedAxis(l, p.getAxis());
        }
        FeatureShape in = blobShape(l, 0);
        long k = in.size();
        int n = p.getNumOutput();
        if (n <= 0) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (InnerProduct) sets no num_output");
        }
        List<CaffeBlob> b = blobsOf(l, p.getBiasTerm() ? 2 : 1);
        CaffeBlob w = b.get(0).requireCount(n * k, l.getName(), "weight");
        DenseLayer layer = new DenseLayer.Builder()
                .nIn(k)
                .nOut(n)
                .hasBias(p.getBiasTerm())
                .activation(Activation.IDENTITY)
                .build();
        String name = addLayer(l, layer, FeatureShape.vector(n), input(l, 0));
        // Caffe stores N × K (or K × N when transpose is set); DL4J's dense weights are K × N
        INDArray weightsKn = p.getTranspose()
                ? Nd4j.create(w.data(), new long[] {k, n}, 'c')
                : Nd4j.create(w.data(), new long[] {n, k}, 'c').transpose();
        param(name, "W", weightsKn);
        if (p.getBiasTerm()) {
            param(name, "b", vector(b.get(1).requireCount(n, l.getName(), "bias")));
        }
    }

    private void addSoftmax(LayerParameter l, boolean readLater) {
        if (l.getSoftmaxParam().getAxis() != 1) {
            unsupportedAxis(l, l.getSoftmaxParam().getAxis());
        }
        FeatureShape in = blobShape(l, 0);
        if (in.size() != in.channels()) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (Softmax) normalises a " + in
                    + " feature map per pixel; RankForge imports class softmax over a vector only");
        }
        Layer layer;
        if (readLater) {
            layer = new ActivationLayer.Builder().activation(Activation.SOFTMAX).build();
        } else {
            LossLayer loss = new LossLayer.Builder(LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX)
                    .build();
            // parameter-free, but DL4J's shape inference reports its nOut: n classes rather than 0
            loss.setNIn(in.channels());
            loss.setNOut(in.channels());
            layer = loss;
        }
        addLayer(l, layer, FeatureShape.vector(in.channels()), input(l, 0));
    }

    private void addDropout(LayerParameter l) {
        Node source = node(l, 0);
        if (l.getDropoutParam().getScaleTrain()) {
            blobs.put(l.getTop(0), source); // inverted dropout: identity at test time
        } else {
            String name = unique(l.getName());
            addVertex(
                    name,
                    l.getTop(0),
                    new ScaleVertex(1.0 - l.getDropoutParam().getDropoutRatio()),
                    source.shape(),
                    source.vertex());
        }
    }

    // ---- graph bookkeeping -----------------------------------------------------------------------

    private String addLayer(LayerParameter l, Layer layer, FeatureShape out, String input) {
        return addLayer(l.getName(), layer, out, l.getTop(0), input);
    }

    /** Adds a DL4J layer named {@code name}; {@code top} (if not null) is the Caffe blob it now produces. */
    private String addLayer(String name, Layer layer, FeatureShape out, String top, String input) {
        return registered(name, layer, out, top, input);
    }

    private void addVertex(String name, GraphVertex vertex, FeatureShape out, String... inputs) {
        registered(name, vertex, out, null, inputs);
    }

    private void addVertex(String name, String top, GraphVertex vertex, FeatureShape out, String... inputs) {
        registered(name, vertex, out, top, inputs);
    }

    private String registered(String name, Object layerOrVertex, FeatureShape out, String top, String... inputs) {
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

    private void claim(String name) {
        if (!vertexNames.add(name)) {
            throw new UserInputException("Caffe network '" + definition.getName() + "' has two layers (or a layer "
                    + "and its input) named '" + name + "'; layer names must be unique to be imported");
        }
    }

    private String unique(String base) {
        String name = base;
        for (int i = 2; vertexNames.contains(name) || definitionHasLayer(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private boolean definitionHasLayer(String name) {
        return definition.getLayerList().stream().anyMatch(l -> l.getName().equals(name));
    }

    private Node node(LayerParameter l, int bottom) {
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

    private String input(LayerParameter l, int bottom) {
        return node(l, bottom).vertex();
    }

    private FeatureShape blobShape(LayerParameter l, int bottom) {
        return node(l, bottom).shape();
    }

    private FeatureShape mapInput(LayerParameter l) {
        FeatureShape in = blobShape(l, 0);
        if (in.flat()) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType() + ") reads a flat vector "
                    + in + "; it needs a feature map");
        }
        return in;
    }

    private boolean isReadAfter(LayerParameter l, List<LayerParameter> later) {
        String top = l.getTop(0);
        return later.stream().anyMatch(x -> x.getBottomList().contains(top));
    }

    private List<CaffeBlob> blobsOf(LayerParameter l, int expected) {
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

    /** A (height, width) pair from Caffe's _h/_w fields or its repeated field (one value for both, or two). */
    private static int[] pair(
            LayerParameter l, String what, boolean explicit, int h, int w, List<Integer> repeated, int fallback) {
        if (explicit) {
            return new int[] {h, w};
        }
        if (repeated.isEmpty()) {
            if (fallback < 0) {
                throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType() + ") sets no " + what);
            }
            return new int[] {fallback, fallback};
        }
        if (repeated.size() == 1) {
            return new int[] {repeated.get(0), repeated.get(0)};
        }
        if (repeated.size() == 2) {
            return new int[] {repeated.get(0), repeated.get(1)};
        }
        throw new UserInputException("Caffe layer '" + l.getName() + "' gives " + repeated.size() + " " + what
                + " values; RankForge imports 2-D layers only");
    }

    private static void unsupportedAxis(LayerParameter l, int axis) {
        throw new UserInputException("Caffe layer '" + l.getName() + "' (" + l.getType() + ") works along axis " + axis
                + "; RankForge imports axis 1 (channels) only");
    }

    private static INDArray vector(CaffeBlob blob) {
        return Nd4j.create(blob.data());
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
}
