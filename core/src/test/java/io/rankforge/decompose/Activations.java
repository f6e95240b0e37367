package io.rankforge.decompose;

import io.rankforge.model.NetworkLayers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test helpers: every layer's inference-mode activations by layer name, and relative differences. */
final class Activations {
    private Activations() {}

    static Map<String, INDArray> byName(Model model, INDArray input) {
        Map<String, INDArray> out = new HashMap<>();
        if (model instanceof MultiLayerNetwork mln) {
            List<INDArray> acts = mln.feedForward(input, false);
            for (int i = 0; i < mln.getnLayers(); i++) {
                out.put(NetworkLayers.nameOf(mln, i), acts.get(i + 1));
            }
        } else {
            out.putAll(((ComputationGraph) model).feedForward(input, false));
        }
        return out;
    }

    /** ‖a − b‖_F / ‖a‖_F in float64. */
    static double relativeDifference(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE), y = b.castTo(DataType.DOUBLE);
        return x.sub(y).norm2Number().doubleValue() / x.norm2Number().doubleValue();
    }
}
