package io.rankforge.runtime;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer with its three matrix products run by libnd4j's {@code matmul} op into C-order arrays, and its
 * forward output kept for the backward pass (docs/native.md, "Dense layers").
 *
 * <p>Why: DL4J 1.0.0-M2.1 multiplies through {@code INDArray.mmuli}, which writes an F-order temporary and copies it
 * into the result; libnd4j's oneDNN build hands an F-order output to OpenBLAS (on one thread while networks run,
 * docs/native.md "Threads") rather than to oneDNN. With C-order outputs the same op runs on oneDNN's matmul, on the
 * OpenMP threads: lenet5's 64×800 by 800×500 product took about 0.45 ms at two threads against 2 ms. The weight
 * gradient {@code xᵀ·δ} is written as its transpose {@code δᵀ·x} into the transposed view of DL4J's F-order gradient
 * array, which is C-order. And DL4J's backward pass computes the forward product a second time; here the forward
 * output is copied into DL4J's forward cache (as its convolution layers do with cache mode {@code DEVICE}) and
 * reused. oneDNN sums in another order than OpenBLAS, so the layer's numbers differ from DL4J's in rounding.
 *
 * <p>Layer norm, weight noise, masks and anything but float go to DL4J's own code. The configuration is DL4J's and
 * untouched, so a saved or cloned network is plain DL4J.
 */
final class MatmulDenseLayer extends DenseLayer {
    private INDArray cachedOutput;
    private INDArray cachedFor;

    /** A layer that behaves as {@code original} and carries its state (index, parameters, listeners, input). */
    MatmulDenseLayer(DenseLayer original) {
        super(original.conf(), original.getDataType());
        LayerState.copy(original, this, DenseLayer.class);
    }

    /** Whether {@code layer} is DL4J's dense layer itself (no subclass) without layer norm or weight noise. */
    static boolean supports(DenseLayer layer) {
        return (layer.getClass() == DenseLayer.class || layer instanceof MatmulDenseLayer)
                && !layer.hasLayerNorm()
                && layer.layerConf().getWeightNoise() == null;
    }

    private boolean applies() {
        return input != null
                && input.rank() == 2
                && input.dataType() == DataType.FLOAT
                && dataType == DataType.FLOAT
                && maskArray == null
                && supports(this);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(
            boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!applies()) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        if (forBackprop && cachedOutput != null && cachedFor == input) {
            INDArray z = cachedOutput;
            clearCache();
            return new Pair<>(z, z);
        }
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray w = getParam("W");
        if (input.columns() != w.rows()) {
            throw new DL4JInvalidInputException("Input size (" + input.columns() + " columns) is invalid: does not"
                    + " match layer input size (layer # inputs = " + w.rows() + ") " + layerId());
        }
        INDArray z = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {input.size(0), w.size(1)}, 'c');
        matmul(dense(input), w, z, false, false);
        if (hasBias()) {
            z.addiRowVector(getParam("b"));
        }
        clearCache();
        if (training
                && !forBackprop
                && cacheMode != null
                && cacheMode != CacheMode.NONE
                && workspaceMgr.hasConfiguration(ArrayType.FF_CACHE)
                && workspaceMgr.isWorkspaceOpen(ArrayType.FF_CACHE)) {
            // the activation function overwrites z in place: the backward pass needs a copy
            try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.FF_CACHE)) {
                cachedOutput = z.unsafeDuplication();
                cachedFor = input;
            }
        }
        return new Pair<>(z, z);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!applies() || epsilon.dataType() != DataType.FLOAT) {
            clearCache();
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray z = preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
        INDArray delta =
                dense(layerConf().getActivationFn().backprop(z, epsilon).getFirst());

        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get("b");
            delta.sum(biasGrad, 0);
            gradient.gradientForVariable().put("b", biasGrad);
        }
        INDArray w = getParam("W");
        INDArray epsilonNext = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[] {delta.size(0), w.size(0)}, 'c');
        matmul(delta, w, epsilonNext, false, true); // δ·Wᵀ
        INDArray weightGrad = gradientViews.get("W"); // F-order [nIn, nOut]: its transpose is C-order
        matmul(delta, dense(input), weightGrad.transpose(), true, false); // (xᵀ·δ)ᵀ = δᵀ·x
        gradient.gradientForVariable().put("W", weightGrad);
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }

    @Override
    public void clear() {
        super.clear();
        clearCache();
    }

    private void clearCache() {
        cachedOutput = null;
        cachedFor = null;
    }

    /** {@code a} if its elements lie one after another in its own order (oneDNN's matmul needs that), else a copy. */
    private static INDArray dense(INDArray a) {
        return a.elementWiseStride() == 1 ? a : a.dup('c');
    }

    /** {@code z = op(x)·op(y)} by libnd4j's {@code matmul} (oneDNN's on the oneDNN build, as z is C-order). */
    private static void matmul(INDArray x, INDArray y, INDArray z, boolean transposeX, boolean transposeY) {
        Nd4j.exec(DynamicCustomOp.builder("matmul")
                .addInputs(x, y)
                .addOutputs(z)
                .addIntegerArguments(transposeX ? 1 : 0, transposeY ? 1 : 0, 0)
                .build());
    }
}
