package io.rankforge.decompose;

import io.rankforge.RankConfiguration;
import io.rankforge.model.LayerSpec;
import io.rankforge.spectrum.Scheme;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rebuilds a ComputationGraph with decomposed layers: vertex L becomes L_a → L_b, and every vertex that
 * consumed L (the next layer, a residual addition, a network output) consumes L_b instead.
 */
final class GraphRebuild {
    private GraphRebuild() {}

    static ComputationGraph build(
            ComputationGraph graph,
            DecompositionPlan plan,
            Map<String, LayerFactors> factors,
            RankConfiguration ranks) {
        ComputationGraphConfiguration oc = graph.getConfiguration();
        LinkedHashMap<String, GraphVertex> vertices = new LinkedHashMap<>();
        LinkedHashMap<String, List<String>> inputs = new LinkedHashMap<>();
        for (var e : oc.getVertices().entrySet()) {
            String name = e.getKey();
            List<String> in = renamed(oc.getVertexInputs().get(name), ranks);
            if (ranks.contains(name)) {
                LayerVertex lv = (LayerVertex) e.getValue();
                LayerSpec spec = plan.layer(name);
                Scheme scheme = plan.scheme(name);
                int r = ranks.rank(name);
                var layer = lv.getLayerConf().getLayer();
                String a = FactorLayers.firstName(name), b = FactorLayers.secondName(name);
                vertices.put(
                        a,
                        new LayerVertex(
                                MultiLayerRebuild.withLayer(
                                        lv.getLayerConf(), FactorLayers.first(layer, spec, scheme, r)),
                                lv.getPreProcessor() == null
                                        ? null
                                        : lv.getPreProcessor().clone()));
                inputs.put(a, in);
                LayerVertex bv = new LayerVertex(
                        MultiLayerRebuild.withLayer(lv.getLayerConf(), FactorLayers.second(layer, spec, scheme, r)),
                        null);
                bv.setOutputVertex(lv.isOutputVertex());
                vertices.put(b, bv);
                inputs.put(b, List.of(a));
            } else {
                GraphVertex copy = e.getValue().clone();
                if (copy instanceof LayerVertex lv) {
                    lv.setLayerConf(MultiLayerRebuild.withLayer(
                            lv.getLayerConf(), lv.getLayerConf().getLayer().clone()));
                }
                vertices.put(name, copy);
                if (in != null) {
                    inputs.put(name, in);
                }
            }
        }
        ComputationGraphConfiguration nc = oc.clone();
        nc.setVertices(vertices);
        nc.setVertexInputs(inputs);
        nc.setNetworkOutputs(renamed(oc.getNetworkOutputs(), ranks));
        nc.setTopologicalOrder(null); // cached order of the original graph: recomputed on init
        nc.setTopologicalOrderStr(null);

        DataType type = graph.params().dataType();
        long total = 0;
        for (GraphVertex v : vertices.values()) {
            total += v.numParams(false);
        }
        ComputationGraph out = new ComputationGraph(nc);
        out.init(Nd4j.create(type, 1, total), false); // zeros, no random initialisation: every value is written below

        long written = 0;
        for (var v : graph.getVertices()) {
            String name = v.getVertexName();
            Map<String, INDArray> src = v.paramTable(false);
            if (src == null || src.isEmpty()) {
                continue;
            }
            if (ranks.contains(name)) {
                LayerFactors f = factors.get(name);
                int r = ranks.rank(name);
                Map<String, INDArray> a =
                        out.getVertex(FactorLayers.firstName(name)).paramTable(false);
                Map<String, INDArray> b =
                        out.getVertex(FactorLayers.secondName(name)).paramTable(false);
                written += ParamCopy.one(f.first(r, type), a, "W", FactorLayers.firstName(name));
                written += ParamCopy.one(f.second(r, type), b, "W", FactorLayers.secondName(name));
                written += ParamCopy.allButWeights(src, b, FactorLayers.secondName(name));
            } else {
                written += ParamCopy.all(src, out.getVertex(name).paramTable(false), name);
            }
        }
        ParamCopy.checkComplete(written, out.numParams(), "decomposed graph");
        return out;
    }

    private static List<String> renamed(List<String> names, RankConfiguration ranks) {
        if (names == null) {
            return null;
        }
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(ranks.contains(n) ? FactorLayers.secondName(n) : n);
        }
        return out;
    }
}
