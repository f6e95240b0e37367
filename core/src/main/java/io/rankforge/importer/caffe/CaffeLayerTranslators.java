package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.caffe.proto.CaffeProto.BatchNormParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.ConvolutionParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.EltwiseParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.InnerProductParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
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
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * One translator per Caffe layer type: each reads a layer's parameters and trained blobs and adds the equivalent
 * DL4J layers or vertices to a {@link CaffeGraph} (which keeps the bookkeeping: blob → vertex, unique names, the
 * parameters to assign). The input transform (Caffe's {@code (pixel − mean) × scale}) is translated here too.
 */
final class CaffeLayerTranslators {
    private final CaffeGraph g;
    private int foldedScales;

    CaffeLayerTranslators(CaffeGraph g) {
        this.g = g;
    }

    /** How many Scale layers were folded into the BatchNorm before them. */
    int foldedScales() {
        return foldedScales;
    }

    /** Caffe's {@code (pixel − mean) × scale}, as parameter-free vertices (nothing here can be trained). */
    void addInputTransform(CaffeInput input) {
        float pixel = input.unitPixels() ? 255f : 1f;
        float[] means = input.means();
        CaffeGraph.Node current = g.blobs.get(input.blob());
        if (means.length > 0) {
            boolean uniform = true;
            for (float m : means) {
                uniform &= m == means[0];
            }
            String meanName = g.unique(input.blob() + "_mean");
            if (uniform) {
                g.addVertex(meanName, new ShiftVertex(-means[0] / pixel), current.shape(), current.vertex());
            } else {
                String[] channels = new String[means.length];
                for (int c = 0; c < means.length; c++) {
                    String subset = g.unique(input.blob() + "_c" + c);
                    g.addVertex(subset, new SubsetVertex(c, c), current.shape(), current.vertex());
                    channels[c] = g.unique(input.blob() + "_mean_c" + c);
                    g.addVertex(channels[c], new ShiftVertex(-means[c] / pixel), current.shape(), subset);
                }
                g.addVertex(meanName, new MergeVertex(), current.shape(), channels);
            }
            current = new CaffeGraph.Node(meanName, current.shape());
        }
        double factor = (double) pixel * input.scale();
        if (factor != 1.0) {
            String scaleName = g.unique(input.blob() + "_scale");
            g.addVertex(scaleName, new ScaleVertex(factor), current.shape(), current.vertex());
            current = new CaffeGraph.Node(scaleName, current.shape());
        }
        g.blobs.put(input.blob(), current);
    }

    void addConvolution(LayerParameter l) {
        ConvolutionParameter p = l.getConvolutionParam();
        FeatureShape in = g.mapInput(l);
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
        List<CaffeBlob> b = g.blobsOf(l, p.getBiasTerm() ? 2 : 1);
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
        String name = g.addLayer(l, layer, FeatureShape.map(n, outH, outW), g.input(l, 0));
        g.param(name, "W", Nd4j.create(w.data(), new long[] {n, in.channels(), kernel[0], kernel[1]}, 'c'));
        if (p.getBiasTerm()) {
            g.param(name, "b", vector(b.get(1).requireCount(n, l.getName(), "bias")));
        }
    }

    /** Caffe's BatchNorm (global statistics ÷ the moving-average factor) and, folded in, the Scale after it. */
    void addBatchNorm(LayerParameter bn, LayerParameter scale) {
        FeatureShape in = g.blobShape(bn, 0);
        int c = in.channels();
        BatchNormParameter p = bn.getBatchNormParam();
        List<CaffeBlob> b = g.blobsOf(bn, 3);
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
            List<CaffeBlob> s = g.blobsOf(scale, bias ? 2 : 1);
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
        String name = g.addLayer(bn.getName(), layer, in, top, g.input(bn, 0));
        g.param(name, BatchNormalizationParamInitializer.GAMMA, Nd4j.create(gamma));
        g.param(name, BatchNormalizationParamInitializer.BETA, Nd4j.create(beta));
        g.param(name, BatchNormalizationParamInitializer.GLOBAL_MEAN, Nd4j.create(m));
        g.param(name, BatchNormalizationParamInitializer.GLOBAL_VAR, Nd4j.create(v));
    }

    void addRelu(LayerParameter l) {
        float slope = l.getReluParam().getNegativeSlope();
        ActivationLayer layer = new ActivationLayer.Builder()
                .activation(slope == 0f ? Activation.RELU.getActivationFunction() : new ActivationLReLU(slope))
                .build();
        g.addLayer(l, layer, g.blobShape(l, 0), g.input(l, 0));
    }

    void addEltwise(LayerParameter l) {
        if (l.getBottomCount() < 2) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (Eltwise) needs at least two inputs");
        }
        FeatureShape shape = g.blobShape(l, 0);
        String[] inputs = new String[l.getBottomCount()];
        for (int i = 0; i < inputs.length; i++) {
            if (!g.blobShape(l, i).equals(shape)) {
                throw new UserInputException("Caffe layer '" + l.getName() + "' (Eltwise) adds blobs of different "
                        + "shapes " + shape + " and " + g.blobShape(l, i));
            }
            inputs[i] = g.input(l, i);
        }
        EltwiseParameter p = l.getEltwiseParam();
        ElementWiseVertex.Op op = switch (p.getOperation()) {
            case PROD -> ElementWiseVertex.Op.Product;
            case MAX -> ElementWiseVertex.Op.Max;
            case SUM -> sumOp(l, p);
        };
        g.addVertex(l.getName(), l.getTop(0), new ElementWiseVertex(op), shape, inputs);
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

    void addPooling(LayerParameter l) {
        FeatureShape in = g.mapInput(l);
        CaffePooling plan = CaffePooling.plan(l.getName(), l.getPoolingParam(), in);
        PoolingType type = plan.max() ? PoolingType.MAX : PoolingType.AVG;
        FeatureShape out = FeatureShape.map(in.channels(), plan.outH(), plan.outW());
        if (l.getPoolingParam().getGlobalPooling()) {
            // keeps the 1×1 spatial axes, as Caffe does, so any layer type may follow
            g.addLayer(
                    l,
                    new GlobalPoolingLayer.Builder(type)
                            .collapseDimensions(false)
                            .build(),
                    out,
                    g.input(l, 0));
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
            g.addLayer(l, pool, out, g.input(l, 0));
            return;
        }
        FeatureShape padded =
                FeatureShape.map(in.channels(), plan.outH() + plan.cropTop(), plan.outW() + plan.cropLeft());
        String poolName = g.addLayer(l.getName(), pool, padded, null, g.input(l, 0));
        g.addLayer(
                g.unique(l.getName() + "_ceil"),
                new Cropping2D(plan.cropTop(), 0, plan.cropLeft(), 0),
                out,
                l.getTop(0),
                poolName);
    }

    void addInnerProduct(LayerParameter l) {
        InnerProductParameter p = l.getInnerProductParam();
        if (p.getAxis() != 1) {
            unsupportedAxis(l, p.getAxis());
        }
        FeatureShape in = g.blobShape(l, 0);
        long k = in.size();
        int n = p.getNumOutput();
        if (n <= 0) {
            throw new UserInputException("Caffe layer '" + l.getName() + "' (InnerProduct) sets no num_output");
        }
        List<CaffeBlob> b = g.blobsOf(l, p.getBiasTerm() ? 2 : 1);
        CaffeBlob w = b.get(0).requireCount(n * k, l.getName(), "weight");
        DenseLayer layer = new DenseLayer.Builder()
                .nIn(k)
                .nOut(n)
                .hasBias(p.getBiasTerm())
                .activation(Activation.IDENTITY)
                .build();
        String name = g.addLayer(l, layer, FeatureShape.vector(n), g.input(l, 0));
        // Caffe stores N × K (or K × N when transpose is set); DL4J's dense weights are K × N
        INDArray weightsKn = p.getTranspose()
                ? Nd4j.create(w.data(), new long[] {k, n}, 'c')
                : Nd4j.create(w.data(), new long[] {n, k}, 'c').transpose();
        g.param(name, "W", weightsKn);
        if (p.getBiasTerm()) {
            g.param(name, "b", vector(b.get(1).requireCount(n, l.getName(), "bias")));
        }
    }

    void addSoftmax(LayerParameter l, boolean readLater) {
        if (l.getSoftmaxParam().getAxis() != 1) {
            unsupportedAxis(l, l.getSoftmaxParam().getAxis());
        }
        FeatureShape in = g.blobShape(l, 0);
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
        g.addLayer(l, layer, FeatureShape.vector(in.channels()), g.input(l, 0));
    }

    void addDropout(LayerParameter l) {
        CaffeGraph.Node source = g.node(l, 0);
        if (l.getDropoutParam().getScaleTrain()) {
            g.blobs.put(l.getTop(0), source); // inverted dropout: identity at test time
        } else {
            String name = g.unique(l.getName());
            g.addVertex(
                    name,
                    l.getTop(0),
                    new ScaleVertex(1.0 - l.getDropoutParam().getDropoutRatio()),
                    source.shape(),
                    source.vertex());
        }
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
}
