package io.rankforge.export;

import static io.rankforge.export.OnnxGraphWriter.integer;
import static io.rankforge.export.OnnxGraphWriter.ints;
import static io.rankforge.export.OnnxGraphWriter.real;

import io.rankforge.UserInputException;
import io.rankforge.onnx.proto.OnnxProto.GraphProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Translates one DL4J network into ONNX nodes, layer by layer in execution order. Every layer's output tensor, and
 * the node that produces it, carry the layer's name; a layer that needs several ONNX nodes (a convolution and its
 * activation) names the inner ones {@code <layer>/<op>}.
 *
 * <p>Mapping: ConvolutionLayer → Conv (padding made explicit, DL4J's Same mode included: the extra row or column
 * goes to the bottom/right, as DL4J pads); SubsamplingLayer → MaxPool / AveragePool / LpPool; BatchNormalization →
 * BatchNormalization (a log10-std variance converted); DenseLayer and OutputLayer → Gemm; GlobalPoolingLayer →
 * GlobalAveragePool / GlobalMaxPool / GlobalLpPool (then Flatten when DL4J collapses the 1×1 axes); the
 * CNN-to-dense preprocessor → Flatten (DL4J flattens NCHW in C order of [C, H, W], as ONNX's Flatten does; a
 * channels-last network's flattening in H, W, C order → Transpose then Flatten);
 * activations → Relu, Softmax, Sigmoid, Tanh, LeakyRelu, Elu, Clip, Softplus, Softsign, HardSigmoid;
 * ElementWiseVertex → Add / Sum / Sub / Mul / Max / Mean; Scale/ShiftVertex → Mul/Add by a constant; MergeVertex →
 * Concat; SubsetVertex → Slice; Cropping2D → Slice; ZeroPaddingLayer → Pad; dropout → Identity. Anything else is
 * refused with a message naming the layer.
 *
 * <p>The ONNX graph always holds NCHW tensors and takes NCHW input, also for a channels-last (NHWC) network imported
 * from Keras, which RankForge itself feeds NCHW images permuted to NHWC.
 */
final class NetworkExport {
    /** A tensor of the ONNX graph and the DL4J activation type it holds (without the batch dimension). */
    private record Value(String tensor, InputType type) {}

    /** The translated graph, without its input and output declarations. */
    record Exported(
            GraphProto.Builder graph,
            Set<String> operators,
            String outputName,
            List<Long> inputShape,
            List<Long> outputShape) {}

    private final OnnxGraphWriter w;

    private NetworkExport(String name) {
        this.w = new OnnxGraphWriter(name);
    }

    static Exported of(Model model, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional in)) {
            throw new UserInputException("ONNX export needs a network that takes images [C, H, W], not " + inputType);
        }
        NetworkExport e =
                new NetworkExport(model instanceof ComputationGraph ? "rankforge-graph" : "rankforge-network");
        Value input = new Value(e.w.claimTensor(OnnxExporter.INPUT), inputType);
        Value out;
        if (model instanceof MultiLayerNetwork mln) {
            out = e.multiLayer(mln, input);
        } else if (model instanceof ComputationGraph cg) {
            out = e.graph(cg, input);
        } else {
            throw new IllegalArgumentException("not a DL4J network: " + model.getClass());
        }
        if (out.tensor().equals(input.tensor())) {
            throw new UserInputException("the network computes nothing: its output is its input");
        }
        return new Exported(e.w.graph(), e.w.operators(), out.tensor(), dims(inputType), dims(out.type()));
    }

    private Value multiLayer(MultiLayerNetwork net, Value input) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Value v = input;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layerName(layer, i);
            InputPreProcessor pp = conf.getInputPreProcess(i);
            if (pp != null) {
                v = preprocess(name, pp, v);
            }
            v = layer(name, layer, net.getLayer(i).paramTable(), v);
        }
        return v;
    }

    private Value graph(ComputationGraph cg, Value input) {
        ComputationGraphConfiguration conf = cg.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UserInputException("ONNX export supports graphs with one input and one output; this one has "
                    + conf.getNetworkInputs() + " and " + conf.getNetworkOutputs());
        }
        Map<String, Value> values = new HashMap<>();
        values.put(conf.getNetworkInputs().get(0), input);
        GraphVertex[] vertices = cg.getVertices();
        for (int idx : cg.topologicalSortOrder()) {
            GraphVertex v = vertices[idx];
            String name = v.getVertexName();
            if (v.isInputVertex()) {
                continue;
            }
            List<Value> ins = new ArrayList<>();
            for (String in : conf.getVertexInputs().get(name)) {
                ins.add(values.get(in));
            }
            org.deeplearning4j.nn.conf.graph.GraphVertex vc = conf.getVertices().get(name);
            Value out;
            if (vc instanceof LayerVertex lv) {
                Value in = ins.get(0);
                if (lv.getPreProcessor() != null) {
                    in = preprocess(name, lv.getPreProcessor(), in);
                }
                out = layer(name, lv.getLayerConf().getLayer(), v.getLayer().paramTable(), in);
            } else {
                out = vertex(name, vc, ins);
            }
            values.put(name, out);
        }
        return values.get(conf.getNetworkOutputs().get(0));
    }

    private static String layerName(Layer layer, int index) {
        String n = layer.getLayerName();
        return n == null || n.isBlank() ? String.valueOf(index) : n;
    }

    // ---- preprocessors and vertices ----------------------------------------------------------------

    private Value preprocess(String layer, InputPreProcessor pp, Value in) {
        InputType out = pp.getOutputType(in.type());
        if (pp instanceof CnnToFeedForwardPreProcessor c) {
            String t = in.tensor();
            if (c.getFormat() == CNN2DFormat.NHWC) {
                // a channels-last network flattens in H, W, C order; the ONNX graph holds NCHW tensors
                t = w.node("Transpose", layer + "/nhwc", List.of(t), layer + "/nhwc", ints("perm", 0, 2, 3, 1));
            }
            return new Value(
                    w.node("Flatten", layer + "/flatten", List.of(t), layer + "/flatten", integer("axis", 1)), out);
        }
        if (pp instanceof FeedForwardToCnnPreProcessor f) {
            String shape = w.int64s(layer + "/shape", -1, f.getNumChannels(), f.getInputHeight(), f.getInputWidth());
            return new Value(
                    w.node("Reshape", layer + "/reshape", List.of(in.tensor(), shape), layer + "/reshape"), out);
        }
        throw unsupported(layer, "preprocessor " + pp.getClass().getSimpleName());
    }

    private Value vertex(String name, org.deeplearning4j.nn.conf.graph.GraphVertex vc, List<Value> ins) {
        InputType type = ins.get(0).type();
        List<String> tensors = ins.stream().map(Value::tensor).toList();
        if (vc instanceof ElementWiseVertex e) {
            return new Value(elementWise(name, e.getOp(), tensors), type);
        }
        if (vc instanceof ScaleVertex s) {
            String c = w.floats(name + "/factor", new float[] {(float) s.getScaleFactor()});
            return new Value(w.node("Mul", name, List.of(tensors.get(0), c), name), type);
        }
        if (vc instanceof ShiftVertex s) {
            String c = w.floats(name + "/shift", new float[] {(float) s.getShiftFactor()});
            return new Value(w.node("Add", name, List.of(tensors.get(0), c), name), type);
        }
        if (vc instanceof MergeVertex) {
            InputType out = vc.getOutputType(-1, ins.stream().map(Value::type).toArray(InputType[]::new));
            return new Value(w.node("Concat", name, tensors, name, integer("axis", 1)), out);
        }
        if (vc instanceof SubsetVertex s) {
            InputType out = vc.getOutputType(-1, type);
            return new Value(
                    slice(name, tensors.get(0), new long[] {1}, new long[] {s.getFrom()}, new long[] {s.getTo() + 1}),
                    out);
        }
        if (vc instanceof PreprocessorVertex p) {
            return preprocess(name, p.getPreProcessor(), ins.get(0));
        }
        throw unsupported(name, "graph vertex " + vc.getClass().getSimpleName());
    }

    private String elementWise(String name, ElementWiseVertex.Op op, List<String> ins) {
        if (ins.size() == 1) {
            return w.node("Identity", name, ins, name);
        }
        return switch (op) {
            case Add -> w.node(ins.size() == 2 ? "Add" : "Sum", name, ins, name);
            case Subtract -> w.node("Sub", name, ins, name);
            case Product -> {
                String acc = ins.get(0);
                for (int i = 1; i < ins.size(); i++) {
                    String out = i == ins.size() - 1 ? name : name + "/mul" + i;
                    acc = w.node("Mul", out, List.of(acc, ins.get(i)), out);
                }
                yield acc;
            }
            case Average -> w.node("Mean", name, ins, name);
            case Max -> w.node("Max", name, ins, name);
        };
    }

    // ---- layers -------------------------------------------------------------------------------------

    private Value layer(String name, Layer layer, Map<String, INDArray> params, Value in) {
        InputType outType = layer.getOutputType(-1, in.type());
        Class<?> c = layer.getClass();
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            return convolution(name, (ConvolutionLayer) layer, params, in, outType);
        }
        if (c == SubsamplingLayer.class) {
            return pooling(name, (SubsamplingLayer) layer, in, outType);
        }
        if (c == BatchNormalization.class) {
            return batchNorm(name, (BatchNormalization) layer, params, in, outType);
        }
        if (c == DenseLayer.class || c == OutputLayer.class) {
            return dense(name, (org.deeplearning4j.nn.conf.layers.BaseLayer) layer, params, in, outType);
        }
        if (c == ActivationLayer.class) {
            IActivation a = ((ActivationLayer) layer).getActivationFn();
            return new Value(activationOrIdentity(name, a, in.tensor(), name, in.type()), outType);
        }
        if (c == LossLayer.class) {
            IActivation a = ((LossLayer) layer).getActivationFn();
            return new Value(activationOrIdentity(name, a, in.tensor(), name, in.type()), outType);
        }
        if (c == DropoutLayer.class) {
            return new Value(w.node("Identity", name, List.of(in.tensor()), name), outType);
        }
        if (c == GlobalPoolingLayer.class) {
            return globalPooling(name, (GlobalPoolingLayer) layer, in, outType);
        }
        if (c == Cropping2D.class) {
            Cropping2D crop = (Cropping2D) layer;
            requireNchw(name, crop.getDataFormat());
            int[] k = crop.getCropping(); // top, bottom, left, right
            InputType.InputTypeConvolutional t = conv(name, in.type());
            return new Value(
                    slice(name, in.tensor(), new long[] {2, 3}, new long[] {k[0], k[2]}, new long[] {
                        t.getHeight() - k[1], t.getWidth() - k[3]
                    }),
                    outType);
        }
        if (c == ZeroPaddingLayer.class) {
            ZeroPaddingLayer z = (ZeroPaddingLayer) layer;
            requireNchw(name, z.getDataFormat());
            int[] p = z.getPadding(); // top, bottom, left, right
            String pads = w.int64s(name + "/pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3]);
            return new Value(w.node("Pad", name, List.of(in.tensor(), pads), name), outType);
        }
        throw unsupported(name, c.getSimpleName());
    }

    private Value convolution(
            String name, ConvolutionLayer conv, Map<String, INDArray> params, Value in, InputType outType) {
        requireNchw(name, conv.getCnn2dDataFormat());
        InputType.InputTypeConvolutional i = conv(name, in.type()), o = conv(name, outType);
        int[] k = conv.getKernelSize(), s = conv.getStride(), d = conv.getDilation();
        long[] pads = pads(name, conv.getConvolutionMode(), conv.getPadding(), k, s, d, i, o);
        INDArray weights = params.get("W");
        List<String> inputs = new ArrayList<>(
                List.of(in.tensor(), w.floats(name + ".weight", weights, conv.getNOut(), conv.getNIn(), k[0], k[1])));
        if (conv.hasBias()) {
            inputs.add(w.floats(name + ".bias", params.get("b"), conv.getNOut()));
        }
        IActivation a = conv.getActivationFn();
        String out = isIdentity(a) ? name : name + "/conv";
        String t = w.node(
                "Conv",
                name,
                inputs,
                out,
                ints("kernel_shape", k[0], k[1]),
                ints("strides", s[0], s[1]),
                ints("dilations", d[0], d[1]),
                ints("pads", pads),
                integer("group", 1));
        return new Value(isIdentity(a) ? t : activation(name, a, t, name, outType), outType);
    }

    private Value pooling(String name, SubsamplingLayer pool, Value in, InputType outType) {
        requireNchw(name, pool.getCnn2dDataFormat());
        InputType.InputTypeConvolutional i = conv(name, in.type()), o = conv(name, outType);
        int[] k = pool.getKernelSize(), s = pool.getStride(), d = pool.getDilation();
        long[] pads = pads(name, pool.getConvolutionMode(), pool.getPadding(), k, s, d, i, o);
        boolean dilated = d != null && (d[0] != 1 || d[1] != 1);
        PoolingType type = pool.getPoolingType();
        var kernel = ints("kernel_shape", k[0], k[1]);
        var strides = ints("strides", s[0], s[1]);
        var padding = ints("pads", pads);
        String t = switch (type) {
            case MAX ->
                dilated
                        ? w.node(
                                "MaxPool",
                                name,
                                List.of(in.tensor()),
                                name,
                                kernel,
                                strides,
                                padding,
                                ints("dilations", d[0], d[1]))
                        : w.node("MaxPool", name, List.of(in.tensor()), name, kernel, strides, padding);
            case AVG -> {
                if (dilated) {
                    throw unsupported(name, "dilated average pooling");
                }
                yield w.node(
                        "AveragePool",
                        name,
                        List.of(in.tensor()),
                        name,
                        kernel,
                        strides,
                        padding,
                        integer("count_include_pad", pool.isAvgPoolIncludePadInDivisor() ? 1 : 0));
            }
            case PNORM -> {
                if (dilated) {
                    throw unsupported(name, "dilated p-norm pooling");
                }
                yield w.node(
                        "LpPool",
                        name,
                        List.of(in.tensor()),
                        name,
                        kernel,
                        strides,
                        padding,
                        integer("p", pool.getPnorm()));
            }
            default -> throw unsupported(name, type + " pooling");
        };
        return new Value(t, outType);
    }

    /** ONNX's [top, left, bottom, right] pads of a convolution or pooling in DL4J's convolution mode. */
    private static long[] pads(
            String name,
            ConvolutionMode mode,
            int[] padding,
            int[] k,
            int[] s,
            int[] dilation,
            InputType.InputTypeConvolutional in,
            InputType.InputTypeConvolutional out) {
        int[] d = dilation == null ? new int[] {1, 1} : dilation;
        if (mode == ConvolutionMode.Same) {
            long[] total = new long[2];
            long[] size = {in.getHeight(), in.getWidth()};
            long[] outSize = {out.getHeight(), out.getWidth()};
            for (int a = 0; a < 2; a++) {
                long effective = (long) (k[a] - 1) * d[a] + 1;
                total[a] = Math.max(0, (outSize[a] - 1) * s[a] + effective - size[a]);
            }
            return new long[] {total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2};
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return new long[] {padding[0], padding[1], padding[0], padding[1]};
        }
        throw unsupported(name, "convolution mode " + mode);
    }

    private Value batchNorm(
            String name, BatchNormalization bn, Map<String, INDArray> params, Value in, InputType outType) {
        if (in.type() instanceof InputType.InputTypeConvolutional) {
            requireNchw(name, bn.getCnn2DFormat());
        }
        long c = channels(name, in.type());
        INDArray gamma, beta;
        if (bn.isLockGammaBeta()) {
            gamma = Nd4j.valueArrayOf(new long[] {c}, bn.getGamma(), DataType.FLOAT);
            beta = Nd4j.valueArrayOf(new long[] {c}, bn.getBeta(), DataType.FLOAT);
        } else {
            gamma = params.get(BatchNormalizationParamInitializer.GAMMA);
            beta = params.get(BatchNormalizationParamInitializer.BETA);
        }
        INDArray mean = params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray var;
        if (bn.isUseLogStd()) {
            // DL4J stores log10 of the standard deviation; it normalises by sqrt(std² + eps)
            INDArray std = Transforms.pow(
                    Nd4j.valueArrayOf(
                            params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                                    .shape(),
                            10.0,
                            DataType.DOUBLE),
                    params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                            .castTo(DataType.DOUBLE),
                    false);
            var = std.mul(std);
        } else {
            var = params.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        // DL4J's batch-norm layer returns its normalised input: its configured activation (the network default,
        // often sigmoid) is never applied, so none is written
        String t = w.node(
                "BatchNormalization",
                name,
                List.of(
                        in.tensor(),
                        w.floats(name + ".scale", gamma, c),
                        w.floats(name + ".bias", beta, c),
                        w.floats(name + ".mean", mean, c),
                        w.floats(name + ".var", var, c)),
                name,
                real("epsilon", bn.getEps()));
        return new Value(t, outType);
    }

    private Value dense(
            String name,
            org.deeplearning4j.nn.conf.layers.BaseLayer layer,
            Map<String, INDArray> params,
            Value in,
            InputType outType) {
        Value flat = in;
        if (!(in.type() instanceof InputType.InputTypeFeedForward)) {
            if (in.type() instanceof InputType.InputTypeConvolutional) {
                flat = preprocess(name, new CnnToFeedForwardPreProcessor(), in);
            } else {
                throw unsupported(name, layer.getClass().getSimpleName() + " on a " + in.type() + " input");
            }
        }
        if (layer instanceof DenseLayer d && d.hasLayerNorm()) {
            throw unsupported(name, "a dense layer with layer normalisation");
        }
        var ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
        boolean bias = layer instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) layer).hasBias();
        long nIn = ff.getNIn(), nOut = ff.getNOut();
        List<String> inputs =
                new ArrayList<>(List.of(flat.tensor(), w.floats(name + ".weight", params.get("W"), nIn, nOut)));
        if (bias) {
            inputs.add(w.floats(name + ".bias", params.get("b"), nOut));
        }
        IActivation a = layer.getActivationFn();
        String out = isIdentity(a) ? name : name + "/gemm";
        String t = w.node("Gemm", name, inputs, out);
        return new Value(isIdentity(a) ? t : activation(name, a, t, name, outType), outType);
    }

    private Value globalPooling(String name, GlobalPoolingLayer g, Value in, InputType outType) {
        InputType.InputTypeConvolutional i = conv(name, in.type());
        int[] dims = g.getPoolingDimensions();
        int spatial = i.getFormat() == CNN2DFormat.NHWC ? 1 : 2; // DL4J's axes; the ONNX tensor is NCHW either way
        if (dims != null && !(dims.length == 2 && dims[0] == spatial && dims[1] == spatial + 1)) {
            throw unsupported(name, "global pooling over dimensions " + java.util.Arrays.toString(dims));
        }
        boolean collapse = g.isCollapseDimensions();
        String pooled = collapse ? name + "/pool" : name;
        String t = switch (g.getPoolingType()) {
            case AVG -> w.node("GlobalAveragePool", name, List.of(in.tensor()), pooled);
            case MAX -> w.node("GlobalMaxPool", name, List.of(in.tensor()), pooled);
            case PNORM -> w.node("GlobalLpPool", name, List.of(in.tensor()), pooled, integer("p", g.getPnorm()));
            case SUM -> {
                String avg = w.node("GlobalAveragePool", name + "/avg", List.of(in.tensor()), name + "/avg");
                String n = w.floats(name + "/count", new float[] {(float) (i.getHeight() * i.getWidth())});
                yield w.node("Mul", name, List.of(avg, n), pooled);
            }
        };
        if (collapse) {
            t = w.node("Flatten", name + "/flatten", List.of(t), name, integer("axis", 1));
        }
        return new Value(t, outType);
    }

    private String slice(String name, String in, long[] axes, long[] starts, long[] ends) {
        return w.node(
                "Slice",
                name,
                List.of(
                        in,
                        w.int64s(name + "/starts", starts),
                        w.int64s(name + "/ends", ends),
                        w.int64s(name + "/axes", axes)),
                name);
    }

    // ---- activations --------------------------------------------------------------------------------

    private static boolean isIdentity(IActivation a) {
        return a == null || a instanceof ActivationIdentity;
    }

    private String activationOrIdentity(String name, IActivation a, String in, String out, InputType type) {
        return isIdentity(a) ? w.node("Identity", name, List.of(in), out) : activation(name, a, in, out, type);
    }

    /** The activation's node(s); the node is named {@code <layer>/<op>} when it follows the layer's main node. */
    private String activation(String layer, IActivation a, String in, String out, InputType type) {
        List<String> x = List.of(in);
        String n = layer + "/"
                + a.getClass().getSimpleName().replace("Activation", "").toLowerCase(java.util.Locale.ROOT);
        if (a instanceof ActivationReLU r) {
            if (r.getMax() != null || r.getThreshold() != null || r.getNegativeSlope() != null) {
                throw unsupported(layer, "a ReLU with max, threshold or negative slope");
            }
            return w.node("Relu", n, x, out);
        }
        if (a instanceof ActivationSoftmax) {
            if (!(type instanceof InputType.InputTypeFeedForward)) {
                throw unsupported(layer, "softmax over a " + type + " activation");
            }
            return w.node("Softmax", n, x, out, integer("axis", 1));
        }
        if (a instanceof ActivationSigmoid) {
            return w.node("Sigmoid", n, x, out);
        }
        if (a instanceof ActivationTanH) {
            return w.node("Tanh", n, x, out);
        }
        if (a instanceof ActivationLReLU l) {
            return w.node("LeakyRelu", n, x, out, real("alpha", l.getAlpha()));
        }
        if (a instanceof ActivationELU e) {
            return w.node("Elu", n, x, out, real("alpha", e.getAlpha()));
        }
        if (a instanceof ActivationReLU6) {
            return clip(n, in, out, 0f, 6f);
        }
        if (a instanceof ActivationHardTanH) {
            return clip(n, in, out, -1f, 1f);
        }
        if (a instanceof ActivationSoftPlus) {
            return w.node("Softplus", n, x, out);
        }
        if (a instanceof ActivationSoftSign) {
            return w.node("Softsign", n, x, out);
        }
        if (a instanceof ActivationHardSigmoid) {
            // DL4J: min(1, max(0, 0.2 x + 0.5))
            return w.node("HardSigmoid", n, x, out, real("alpha", 0.2), real("beta", 0.5));
        }
        if (a instanceof ActivationSwish) {
            String s = w.node("Sigmoid", n + "_sigmoid", x, n + "_sigmoid");
            return w.node("Mul", n, List.of(in, s), out);
        }
        throw unsupported(layer, "activation " + a);
    }

    private String clip(String name, String in, String out, float lo, float hi) {
        return w.node(
                "Clip",
                name,
                List.of(in, w.floats(name + "/min", new float[] {lo}), w.floats(name + "/max", new float[] {hi})),
                out);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static InputType.InputTypeConvolutional conv(String layer, InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c;
        }
        throw unsupported(layer, "a 2-D layer on a " + t + " input");
    }

    /**
     * A 2-D layer in either data format: DL4J stores convolution weights as [out, in, kH, kW] for NCHW and NHWC
     * alike, so a channels-last network computes the same function on NCHW tensors (only flattening differs).
     */
    private static void requireNchw(String layer, CNN2DFormat format) {
        if (format != null && format != CNN2DFormat.NCHW && format != CNN2DFormat.NHWC) {
            throw unsupported(layer, "a " + format + " layer");
        }
    }

    private static long channels(String layer, InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getChannels();
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return f.getSize();
        }
        throw unsupported(layer, "batch norm on a " + t + " input");
    }

    private static List<Long> dims(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return List.of(c.getChannels(), c.getHeight(), c.getWidth());
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return List.of(f.getSize());
        }
        throw new UserInputException("ONNX export: unsupported activation type " + t);
    }

    private static UserInputException unsupported(String layer, String what) {
        return new UserInputException("ONNX export: layer '" + layer + "' is " + what
                + ", which RankForge cannot write as ONNX (see docs/onnx.md for what it writes)");
    }
}
