package io.rankforge.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's network updaters with {@link UpdaterKernel} doing the update where it reproduces DL4J's: the same class
 * (a saved network stores the same updater state, in the same layout), the same state array, DL4J's own path for
 * everything the kernel does not cover.
 */
final class FusedUpdaters {
    private FusedUpdaters() {}

    /**
     * Gives {@code model} a fused updater that continues its current updater's state, when the kernel covers the
     * network's update; idempotent.
     *
     * @return whether the network's update is now the kernel's
     */
    static boolean install(Model model) {
        // a network not fitted yet has no updater: the fused one starts from fresh state, as DL4J's would
        if (model instanceof ComputationGraph cg) {
            ComputationGraphUpdater current = cg.getUpdater(false);
            if (current instanceof Graph g) {
                return g.kernel().isPresent();
            }
            Graph fused = new Graph(cg, current == null ? null : initialised(current));
            if (fused.kernel().isEmpty()) {
                return false;
            }
            cg.setUpdater(fused);
            return true;
        }
        if (model instanceof MultiLayerNetwork mln) {
            Updater current = mln.getUpdater(false);
            if (current instanceof Layers l) {
                return l.kernel().isPresent();
            }
            if (current != null && !(current instanceof MultiLayerUpdater)) {
                return false;
            }
            Layers fused = new Layers(mln, current == null ? null : initialised((MultiLayerUpdater) current));
            if (fused.kernel().isEmpty()) {
                return false;
            }
            mln.setUpdater(fused);
            return true;
        }
        return false;
    }

    /** {@code u}'s state array, each block's part set to its initial values first where DL4J had not done so yet. */
    private static INDArray initialised(BaseMultiLayerUpdater<?> u) {
        for (UpdaterBlock b : u.getUpdaterBlocks()) {
            b.init();
        }
        return u.getStateViewArray();
    }

    /** The ranges of the flattened gradient DL4J divides by the mini-batch size, from DL4J's own subsets. */
    private static List<int[]> divisionRanges(List<INDArray> subsets, INDArray flattened) {
        List<int[]> ranges = new ArrayList<>();
        for (INDArray s : subsets) {
            int from = (int) (s.offset() - flattened.offset());
            ranges.add(new int[] {from, from + (int) s.length()});
        }
        return ranges;
    }

    /** The kernel for an updater, from what only the updater itself can read (DL4J keeps it protected). */
    private static Optional<UpdaterKernel> plan(
            BaseMultiLayerUpdater<?> u, INDArray flat, List<INDArray> divisionSubsets, Trainable[] layers) {
        return UpdaterKernel.plan(u, divisionRanges(divisionSubsets, flat), layers, (int) flat.length());
    }

    /** Runs the kernel where it applies, else {@code dl4j} (the updater's own {@code update}). */
    private static void updateWithKernel(
            Optional<UpdaterKernel> kernel,
            BaseMultiLayerUpdater<?> u,
            INDArray params,
            Gradient gradient,
            int iteration,
            int epoch,
            int batchSize,
            Runnable dl4j) {
        boolean done = kernel.isPresent()
                && kernel.get().apply(gradient.gradient(), params, u.getStateViewArray(), iteration, epoch, batchSize);
        if (!done) {
            dl4j.run();
        }
    }

    /** A ComputationGraph's updater. */
    static final class Graph extends ComputationGraphUpdater {
        private Optional<UpdaterKernel> kernel;

        Graph(ComputationGraph graph, INDArray state) {
            super(graph, state);
        }

        Optional<UpdaterKernel> kernel() {
            if (kernel == null) {
                INDArray flat = getFlattenedGradientsView();
                List<INDArray> divided = isMiniBatch() ? getMinibatchDivisionSubsets(flat) : List.of();
                kernel = plan(this, flat, divided, getOrderedLayers());
            }
            return kernel;
        }

        @Override
        public void update(Gradient g, int iteration, int epoch, int batchSize, LayerWorkspaceMgr ws) {
            updateWithKernel(
                    kernel(),
                    this,
                    getParams(),
                    g,
                    iteration,
                    epoch,
                    batchSize,
                    () -> super.update(g, iteration, epoch, batchSize, ws));
        }
    }

    /** A MultiLayerNetwork's updater (the same as {@link Graph}: DL4J's two updater classes share no such subclass). */
    static final class Layers extends MultiLayerUpdater {
        private Optional<UpdaterKernel> kernel;

        Layers(MultiLayerNetwork network, INDArray state) {
            super(network, state);
        }

        Optional<UpdaterKernel> kernel() {
            if (kernel == null) {
                INDArray flat = getFlattenedGradientsView();
                List<INDArray> divided = isMiniBatch() ? getMinibatchDivisionSubsets(flat) : List.of();
                kernel = plan(this, flat, divided, getOrderedLayers());
            }
            return kernel;
        }

        @Override
        public void update(Gradient g, int iteration, int epoch, int batchSize, LayerWorkspaceMgr ws) {
            updateWithKernel(
                    kernel(),
                    this,
                    getParams(),
                    g,
                    iteration,
                    epoch,
                    batchSize,
                    () -> super.update(g, iteration, epoch, batchSize, ws));
        }
    }
}
