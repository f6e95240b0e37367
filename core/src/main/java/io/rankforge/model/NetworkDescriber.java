package io.rankforge.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ConvolutionUtils;

/**
 * Describes a DL4J network for compression: its compressible layers (2-D convolutions with groups 1 and
 * dilation 1, dense layers and the dense part of output layers) and the totals of the whole network.
 *
 * <p>Totals: {@code networkMacs} is the MACs of the compressible layers plus those of the other layers
 * that multiply weights with activations and whose cost is known (depthwise, separable and transposed
 * 2-D convolutions); element-wise layers (batch norm, activations, pooling, residual additions) are not
 * counted, batch norm because it folds into the preceding convolution at inference. {@code networkParams}
 * is DL4J's count of every stored parameter, batch norm's γ, β, running mean and running variance
 * included.
 *
 * <p>A layer that stores weights but cannot be decomposed (depthwise, separable or transposed convolution,
 * a dilated convolution, recurrent layers, …) is listed in {@code unsupported} as "name (Type)".
 * Batch norm and PReLU store parameters but are element-wise: they are neither compressible nor reported.
 */
public final class NetworkDescriber {
    private NetworkDescriber() {}

    /** Describes {@code model} (MultiLayerNetwork or ComputationGraph) fed with {@code inputTypes}. */
    public static NetworkDescription describe(Model model, InputType... inputTypes) {
        List<LayerSpec> specs = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        long otherMacs = 0;
        Set<String> names = new HashSet<>();
        for (NetworkLayer l : NetworkLayers.of(model, inputTypes)) {
            LayerSpec spec = compressible(l);
            if (spec != null) {
                if (!names.add(spec.name())) {
                    throw new IllegalArgumentException(
                            "two compressible layers are named '" + spec.name() + "': give every layer a unique name");
                }
                specs.add(spec);
            } else if (l.numParams() > 0 && !isElementWise(l.conf())) {
                unsupported.add(l.label());
                otherMacs += knownMacs(l);
            }
        }
        if (model instanceof ComputationGraph cg) {
            for (GraphVertex v : cg.getVertices()) {
                boolean layer = cg.getConfiguration().getVertices().get(v.getVertexName()) instanceof LayerVertex;
                if (!layer && v.numParams() > 0) {
                    unsupported.add(v.getVertexName() + " (" + v.getClass().getSimpleName() + ")");
                }
            }
        }
        long compressibleMacs = specs.stream().mapToLong(LayerSpec::macs).sum();
        return new NetworkDescription(specs, compressibleMacs + otherMacs, model.numParams(), unsupported);
    }

    /** True for the configuration classes the decomposer can split: plain 2-D convolutions, dense and output layers. */
    public static boolean isDecomposable(Layer conf) {
        Class<?> c = conf.getClass();
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            int[] d = ((ConvolutionLayer) conf).getDilation();
            return d == null || (d[0] == 1 && d[1] == 1);
        }
        return c == DenseLayer.class || c == OutputLayer.class;
    }

    /** The spec of a decomposable layer, or null for any other layer. */
    static LayerSpec compressible(NetworkLayer l) {
        if (!isDecomposable(l.conf())) {
            return null;
        }
        if (l.conf() instanceof ConvolutionLayer conv) {
            return convolution(l, conv);
        }
        org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff =
                (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) l.conf();
        if (!(l.input() instanceof InputType.InputTypeFeedForward)) {
            return null; // a dense layer applied per time step or per pixel: reported as unsupported
        }
        boolean bias = l.conf() instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) l.conf()).hasBias();
        return LayerSpec.dense(l.name(), Math.toIntExact(ff.getNIn()), Math.toIntExact(ff.getNOut()), bias);
    }

    private static LayerSpec convolution(NetworkLayer l, ConvolutionLayer conv) {
        InputType.InputTypeConvolutional in = convolutional(l.input(), l.name());
        InputType.InputTypeConvolutional out = convolutional(l.output(), l.name());
        int[] k = conv.getKernelSize(), s = conv.getStride(), p = conv.getPadding();
        int inH = (int) in.getHeight(),
                inW = (int) in.getWidth(),
                outH = (int) out.getHeight(),
                outW = (int) out.getWidth();
        if (conv.getConvolutionMode() == ConvolutionMode.Same) {
            // Same mode pads implicitly: report the top/left padding it applies (bottom/right may be one more)
            p = ConvolutionUtils.getSameModeTopLeftPadding(
                    new int[] {outH, outW}, new int[] {inH, inW}, k, s, new int[] {1, 1});
        }
        return LayerSpec.convolution(
                l.name(),
                Math.toIntExact(conv.getNIn()),
                Math.toIntExact(conv.getNOut()),
                k[0],
                k[1],
                s[0],
                s[1],
                Math.max(0, p[0]),
                Math.max(0, p[1]),
                inH,
                inW,
                outH,
                outW,
                conv.hasBias());
    }

    private static InputType.InputTypeConvolutional convolutional(InputType t, String layer) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c;
        }
        throw new IllegalArgumentException(
                "convolution " + layer + " has activation type " + t + ", expected a 2-D feature map");
    }

    private static boolean isElementWise(Layer conf) {
        return conf instanceof BatchNormalization || conf instanceof PReLULayer;
    }

    /** MACs of the non-decomposable layers whose cost has a simple formula; 0 for the others. */
    private static long knownMacs(NetworkLayer l) {
        if (!(l.input() instanceof InputType.InputTypeConvolutional in)
                || !(l.output() instanceof InputType.InputTypeConvolutional out)) {
            return 0;
        }
        long outPixels = out.getHeight() * out.getWidth();
        if (l.conf() instanceof DepthwiseConvolution2D d) {
            int[] k = d.getKernelSize();
            return in.getChannels() * d.getDepthMultiplier() * k[0] * k[1] * outPixels;
        }
        if (l.conf() instanceof SeparableConvolution2D d) {
            int[] k = d.getKernelSize();
            long depth = in.getChannels() * d.getDepthMultiplier();
            return depth * k[0] * k[1] * outPixels + depth * out.getChannels() * outPixels;
        }
        if (l.conf() instanceof Deconvolution2D d) {
            int[] k = d.getKernelSize();
            return in.getChannels() * out.getChannels() * k[0] * k[1] * in.getHeight() * in.getWidth();
        }
        if (l.conf().getClass() == ConvolutionLayer.class || l.conf().getClass() == Convolution2D.class) {
            ConvolutionLayer c = (ConvolutionLayer) l.conf(); // a dilated convolution: same cost as an undilated one
            int[] k = c.getKernelSize();
            return in.getChannels() * out.getChannels() * k[0] * k[1] * outPixels;
        }
        return 0;
    }
}
