package io.rankforge.decompose;

import io.rankforge.RankConfiguration;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkLayers;
import io.rankforge.spectrum.Scheme;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rebuilds a MultiLayerNetwork with decomposed layers (layer indices shift: preprocessors are re-keyed). */
final class MultiLayerRebuild {
    private MultiLayerRebuild() {}

    static MultiLayerNetwork build(
            MultiLayerNetwork net, DecompositionPlan plan, Map<String, LayerFactors> factors, RankConfiguration ranks) {
        MultiLayerConfiguration oc = net.getLayerWiseConfigurations();
        int n = oc.getConfs().size();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> preprocessors = new HashMap<>();
        int[] newIndex = new int[n];
        for (int i = 0; i < n; i++) {
            InputPreProcessor pp = oc.getInputPreProcess(i);
            if (pp != null) {
                preprocessors.put(confs.size(), pp.clone()); // before L_a when L is decomposed
            }
            newIndex[i] = confs.size();
            String name = NetworkLayers.nameOf(net, i);
            NeuralNetConfiguration c = oc.getConf(i);
            Layer layer = c.getLayer();
            if (ranks.contains(name)) {
                LayerSpec spec = plan.layer(name);
                Scheme scheme = plan.scheme(name);
                int r = ranks.rank(name);
                confs.add(withLayer(c, FactorLayers.first(layer, spec, scheme, r)));
                confs.add(withLayer(c, FactorLayers.second(layer, spec, scheme, r)));
            } else {
                confs.add(withLayer(c, layer.clone()));
            }
        }
        MultiLayerConfiguration nc = oc.clone();
        nc.setConfs(confs);
        nc.setInputPreProcessors(preprocessors);

        DataType type = net.params().dataType();
        long total = 0;
        for (NeuralNetConfiguration c : confs) {
            total += c.getLayer().initializer().numParams(c);
        }
        MultiLayerNetwork out = new MultiLayerNetwork(nc);
        out.init(Nd4j.create(type, 1, total), false); // zeros, no random initialisation: every value is written below

        long written = 0;
        for (int i = 0; i < n; i++) {
            String name = NetworkLayers.nameOf(net, i);
            Map<String, INDArray> src = net.getLayer(i).paramTable();
            if (ranks.contains(name)) {
                LayerFactors f = factors.get(name);
                int r = ranks.rank(name);
                Map<String, INDArray> a = out.getLayer(newIndex[i]).paramTable();
                Map<String, INDArray> b = out.getLayer(newIndex[i] + 1).paramTable();
                written += ParamCopy.one(f.first(r, type), a, "W", name + "_a");
                written += ParamCopy.one(f.second(r, type), b, "W", name + "_b");
                written += ParamCopy.allButWeights(src, b, name + "_b");
            } else {
                written += ParamCopy.all(src, out.getLayer(newIndex[i]).paramTable(), name);
            }
        }
        ParamCopy.checkComplete(written, out.numParams(), "decomposed network");
        return out;
    }

    static NeuralNetConfiguration withLayer(NeuralNetConfiguration c, Layer layer) {
        NeuralNetConfiguration copy = c.clone();
        copy.setLayer(layer);
        copy.clearVariables(); // re-registered by the parameter initialiser (a factor may have no bias)
        return copy;
    }
}
