package io.rankforge.eval;

import io.rankforge.data.ImageDataset;
import io.rankforge.runtime.TrainingKernels;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Top-1 accuracy of a DL4J network on an {@link ImageDataset}: batched forward passes in inference mode
 * (dropout off, batch norm on its running statistics), each batch's output released as soon as it is scored.
 * {@link #evaluate} installs RankForge's kernels in the network first ({@link TrainingKernels#install}): their
 * inference pass gives DL4J's output bit for bit.
 */
public final class Evaluator {
    /** Images per forward pass unless told otherwise. */
    public static final int DEFAULT_BATCH = 256;

    private Evaluator() {}

    public static Evaluation evaluate(Model model, ImageDataset data) {
        return evaluate(model, data, DEFAULT_BATCH);
    }

    public static Evaluation evaluate(Model model, ImageDataset data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        // the exact speed-ups include batch norm's inference pass (oneDNN's numbers, faster): the same accuracy
        TrainingKernels.install(model);
        INDArray features = data.features();
        int n = data.size();
        int correct = 0;
        boolean nhwc = takesChannelsLast(model);
        long start = System.nanoTime();
        // outputs are created outside any workspace the caller may have open, and freed explicitly
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                INDArray batch = features.get(NDArrayIndex.interval(from, to));
                // images are NCHW; a channels-last model (e.g. imported from Keras) takes NHWC
                if (nhwc) {
                    batch = batch.permute(0, 2, 3, 1).dup('c');
                }
                INDArray out = output(model, batch);
                INDArray predicted = out.argMax(1);
                long[] p = predicted.toLongVector();
                for (int i = 0; i < p.length; i++) {
                    if (p[i] == data.label(from + i)) {
                        correct++;
                    }
                }
                release(predicted);
                release(out);
            }
        }
        return new Evaluation(correct, n, (System.nanoTime() - start) / 1e9);
    }

    /** True when the network's first convolution reads channels-last (NHWC) input. */
    public static boolean takesChannelsLast(Model model) {
        org.deeplearning4j.nn.api.Layer[] layers = model instanceof MultiLayerNetwork mln
                ? mln.getLayers()
                : model instanceof ComputationGraph cg ? cg.getLayers() : new org.deeplearning4j.nn.api.Layer[0];
        for (org.deeplearning4j.nn.api.Layer l : layers) {
            if (l.conf() != null && l.conf().getLayer() instanceof ConvolutionLayer c) {
                return c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
            }
        }
        return false;
    }

    /** The network's (first) output for {@code input}, in inference mode, detached from any workspace. */
    public static INDArray output(Model model, INDArray input) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.output(input, false);
        }
        if (model instanceof ComputationGraph cg) {
            if (cg.getConfiguration().getNetworkInputs().size() != 1) {
                throw new IllegalArgumentException(
                        "only single-input graphs can be evaluated on images, this one has inputs "
                                + cg.getConfiguration().getNetworkInputs());
            }
            return cg.output(false, input)[0];
        }
        throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph can be evaluated, got "
                + model.getClass().getSimpleName());
    }

    private static void release(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }
}
