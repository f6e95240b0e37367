package io.rankforge.runtime;

import static io.rankforge.runtime.NativeArrays.contiguous;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution layer as a network's first layer, whose backward pass, while RankForge fits the network, computes
 * the weight and bias gradients only: the gradient with respect to the input images, which training throws away, is
 * not computed (docs/native.md, "Training step: the input layer's gradient").
 *
 * <p>Why: libnd4j's {@code conv2d_bp} on oneDNN always computes the input gradient, and for a one-channel image oneDNN
 * pads that channel to sixteen: in lenet5 (20 filters of 5×5 on 28×28 images, batch 64) the input gradient took 5.7
 * ms of a 29 ms training step at two threads, more than any other primitive. Here the weight gradient is itself one
 * convolution, run by libnd4j's {@code conv2d} (oneDNN): the input with batch and channels swapped, correlated with
 * the output gradient (batch and channels swapped) as the kernel and the forward dilation as stride: {@code
 * dW[o][i][a][b] = Σ_{n,u,v} δ[n][o][u][v] · x[n][i][u + a·d][v + b·d]} (stride 1; padded x). The sums run
 * in another order than oneDNN's backward-weights primitive, so the gradients differ from DL4J's in rounding (within a
 * relative 2e-5 in InputConvolutionLayerTest); every other number of the step is DL4J's.
 *
 * <p>Outside a {@link TrainingKernels#fitting()} scope (a network's {@code backpropGradient} asked for the input
 * gradient, a gradient check) and for anything but float NCHW activations without a mask, the layer is DL4J's. The
 * configuration is DL4J's and untouched, so a saved or cloned network is plain DL4J.
 */
final class InputConvolutionLayer extends ConvolutionLayer {
    /** A layer that behaves as {@code original} and carries its state (index, parameters, helper, cache). */
    InputConvolutionLayer(ConvolutionLayer original) {
        super(original.conf(), original.getDataType());
        LayerState.copy(original, this, ConvolutionLayer.class);
    }

    /**
     * Whether {@code layer} can be the replaced first layer: DL4J's 2-D convolution itself (no subclass), NCHW,
     * stride 1, explicit symmetric padding (not {@code Same} mode), no weight noise, on oneDNN's helper. (At a larger
     * stride the correlation needs a dilated kernel, whose padding libnd4j 1.0.0-M2.1 computes wrongly for oneDNN.)
     */
    static boolean supports(ConvolutionLayer layer) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layer.layerConf();
        return (layer.getClass() == ConvolutionLayer.class || layer instanceof InputConvolutionLayer)
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && (layer.getConvolutionMode() == ConvolutionMode.Truncate
                        || layer.getConvolutionMode() == ConvolutionMode.Strict)
                && c.getStride()[0] == 1
                && c.getStride()[1] == 1
                && c.getWeightNoise() == null
                && layer.getHelper() instanceof MKLDNNConvHelper;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!TrainingKernels.isFitting()
                || !supports(this)
                || maskArray != null
                || input == null
                || input.rank() != 4
                || input.dataType() != DataType.FLOAT
                || epsilon.dataType() != DataType.FLOAT) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray z = preOutput4d(true, true, workspaceMgr).getFirst(); // DL4J's cache of the forward output
        INDArray delta = activationGradient(z, epsilon, workspaceMgr);

        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get("b");
            biasGrad.assign(delta.sum(0, 2, 3).reshape(biasGrad.shape()));
            gradient.gradientForVariable().put("b", biasGrad);
        }
        INDArray weightGrad = gradientViews.get("W");
        weightGrad.assign(weightGradient(input, delta, workspaceMgr));
        gradient.gradientForVariable().put("W", weightGrad);
        return new Pair<>(gradient, null); // the input's gradient: nobody reads it while the network is fitted
    }

    /** δ = the activation's derivative applied to ε: the exact ReLU loop where it applies, else DL4J's. */
    private INDArray activationGradient(INDArray z, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        IActivation activation = layerConf().getActivationFn();
        if (ReluActivationLayer.isPlainRelu(activation)
                && z.equalShapes(epsilon)
                && z.length() <= Integer.MAX_VALUE
                && TrainingKernels.exactSpeedupsLabel().equals("on")) {
            INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, z.shape(), 'c');
            ReluActivationLayer.gradient(contiguous(z), contiguous(epsilon), delta);
            return delta;
        }
        return activation.backprop(z, epsilon).getFirst();
    }

    /**
     * The weight gradient [out channels, in channels, kH, kW] as one convolution (see the class comment). At stride 1
     * the correlation's output is exactly the kernel's size, with the forward padding on both sides.
     */
    private INDArray weightGradient(INDArray x, INDArray delta, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] k = c.getKernelSize();
        int[] p = c.getPadding();
        int[] d = c.getDilation();
        INDArray swapped = workspaceMgr.createUninitialized(
                ArrayType.BP_WORKING_MEM, DataType.FLOAT, new long[] {x.size(1), delta.size(1), k[0], k[1]}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(x.permute(1, 0, 2, 3), delta.permute(1, 0, 2, 3))
                .addOutputs(swapped)
                // kernel (the output gradient's plane), stride (the forward dilation), padding, dilation 1, explicit
                // padding, NCHW, weights [oC, iC, kH, kW]
                .addIntegerArguments((int) delta.size(2), (int) delta.size(3), d[0], d[1], p[0], p[1], 1, 1, 0, 0, 1)
                .build());
        return swapped.permute(1, 0, 2, 3);
    }
}
