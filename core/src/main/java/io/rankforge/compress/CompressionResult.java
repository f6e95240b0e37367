package io.rankforge.compress;

import io.rankforge.RankConfiguration;
import io.rankforge.decompose.CompressionCost;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.eval.Evaluation;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;

/**
 * What a compression gave.
 *
 * @param network            the compressed (and fine-tuned) network
 * @param plan               the decomposition plan (layers, schemes)
 * @param ranks              the ranks it was decomposed to
 * @param cost               its MACs and parameters against the original's (compressible layers and whole network)
 * @param original           test accuracy of the original (this and the next two are null without test images)
 * @param compressed         test accuracy after decomposition and batch-norm re-estimation, before fine-tuning
 * @param fineTuned          test accuracy after fine-tuning (equal to {@code compressed} without fine-tuning)
 * @param recalibratedLayers the batch-norm layers whose statistics were re-estimated
 * @param calibrationImages  images they were re-estimated from (0 = trained statistics kept)
 * @param fineTuning         what fine-tuning did
 * @param originalLatency    latency of the original at each measured batch size (empty when not measured)
 * @param compressedLatency  latency of the compressed network at the same batch sizes
 * @param phaseSeconds       wall time of each phase, in order
 */
public record CompressionResult(
        Model network,
        DecompositionPlan plan,
        RankConfiguration ranks,
        CompressionCost cost,
        Evaluation original,
        Evaluation compressed,
        Evaluation fineTuned,
        List<String> recalibratedLayers,
        int calibrationImages,
        FineTuneOutcome fineTuning,
        List<Latency> originalLatency,
        List<Latency> compressedLatency,
        Map<String, Double> phaseSeconds) {
    public CompressionResult {
        recalibratedLayers = List.copyOf(recalibratedLayers);
        originalLatency = List.copyOf(originalLatency);
        compressedLatency = List.copyOf(compressedLatency);
        phaseSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phaseSeconds));
    }
}
