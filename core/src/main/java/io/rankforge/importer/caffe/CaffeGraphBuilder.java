package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Turns a Caffe network definition plus its trained weights into a DL4J ComputationGraph, one Caffe
 * layer at a time, keeping Caffe's layer names as vertex names.
 *
 * <p>Mapping: Convolution → ConvolutionLayer; BatchNorm (+ the Scale right after it) → one
 * BatchNormalization named after the BatchNorm; ReLU → ActivationLayer; Eltwise → ElementWiseVertex;
 * Pooling → SubsamplingLayer (plus a crop named {@code <name>_ceil} where Caffe rounds the size up) or,
 * global, GlobalPoolingLayer; InnerProduct → DenseLayer; Softmax → LossLayer when it is the network's
 * output (so the graph can be fine-tuned), ActivationLayer otherwise; Dropout → nothing (identity at
 * test time). Loss and Accuracy layers only serve training in Caffe and are left out.
 *
 * <p>This class decides which layers are translated and in which order (and folds Scale into the BatchNorm before
 * it); {@link CaffeLayerTranslators} holds one translator per layer type, {@link CaffeGraph} the bookkeeping.
 */
final class CaffeGraphBuilder {
    private CaffeGraphBuilder() {}

    static final Set<String> TRAINING_ONLY = Set.of(
            "Accuracy",
            "SoftmaxWithLoss",
            "EuclideanLoss",
            "SigmoidCrossEntropyLoss",
            "HingeLoss",
            "InfogainLoss",
            "ContrastiveLoss",
            "MultinomialLogisticLoss",
            "Silence");
    static final Set<String> CONVERTED = Set.of(
            "Convolution", "BatchNorm", "Scale", "ReLU", "Eltwise", "Pooling", "InnerProduct", "Softmax", "Dropout");

    /** The TEST-phase layers, after checking that each has a type this importer converts (or may leave out). */
    static List<LayerParameter> testLayers(NetParameter definition) {
        List<LayerParameter> test =
                definition.getLayerList().stream().filter(CaffePhase::inTestNet).toList();
        for (LayerParameter l : test) {
            String type = l.getType();
            if (!CONVERTED.contains(type) && !TRAINING_ONLY.contains(type) && !CaffeInput.INPUT_TYPES.contains(type)) {
                throw new UserInputException("Caffe layer '" + l.getName() + "' has type '" + type
                        + "', which RankForge cannot import (it imports " + new TreeSet<>(CONVERTED) + ")");
            }
        }
        return test;
    }

    static ImportedModel build(NetParameter definition, NetParameter trained, Optional<int[]> inputShape) {
        CaffeGraph g = new CaffeGraph(definition, trained);
        CaffeLayerTranslators t = new CaffeLayerTranslators(g);
        List<String> notes = new ArrayList<>();
        List<LayerParameter> test = testLayers(definition);
        CaffeInput input = CaffeInput.find(definition, test, g.weights, inputShape);
        FeatureShape in = input.shape();
        g.graph.addInputs(input.blob());
        g.graph.setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()));
        g.vertexNames.add(input.blob());
        g.blobs.put(input.blob(), new CaffeGraph.Node(input.blob(), in));
        t.addInputTransform(input);

        List<LayerParameter> kept =
                test.stream().filter(l -> CONVERTED.contains(l.getType())).toList();
        List<String> skipped = test.stream()
                .filter(l -> TRAINING_ONLY.contains(l.getType()))
                .map(LayerParameter::getName)
                .toList();
        for (int i = 0; i < kept.size(); i++) {
            LayerParameter l = kept.get(i);
            switch (l.getType()) {
                case "Convolution" -> t.addConvolution(l);
                case "BatchNorm" -> {
                    LayerParameter next = i + 1 < kept.size() ? kept.get(i + 1) : null;
                    boolean fold = next != null
                            && next.getType().equals("Scale")
                            && next.getBottomCount() == 1
                            && l.getTopCount() == 1
                            && next.getBottom(0).equals(l.getTop(0));
                    t.addBatchNorm(l, fold ? next : null);
                    if (fold) {
                        i++;
                    }
                }
                case "Scale" ->
                    throw new UserInputException("Caffe layer '" + l.getName() + "' (Scale) does not "
                            + "directly follow a BatchNorm; RankForge imports Scale only as part of BatchNorm + Scale");
                case "ReLU" -> t.addRelu(l);
                case "Eltwise" -> t.addEltwise(l);
                case "Pooling" -> t.addPooling(l);
                case "InnerProduct" -> t.addInnerProduct(l);
                case "Softmax" -> t.addSoftmax(l, g.isReadAfter(l, kept.subList(i + 1, kept.size())));
                case "Dropout" -> t.addDropout(l);
                default -> throw new IllegalStateException(l.getType());
            }
        }
        List<String> outputs = g.specs.stream()
                .map(CaffeGraph.Spec::name)
                .filter(v -> !g.consumed.contains(v))
                .toList();
        if (outputs.isEmpty()) {
            throw new UserInputException("Caffe network '" + definition.getName() + "' has no layer to import");
        }
        g.emit(input.blob());
        g.graph.setOutputs(outputs.toArray(String[]::new));
        ComputationGraphConfiguration conf = g.graph.build();
        ComputationGraph network = new ComputationGraph(conf);
        network.init();
        g.params.forEach(
                (layer, values) -> values.forEach((key, value) -> CaffeGraph.assign(network, layer, key, value)));

        if (input.unitPixels()) {
            notes.add("input: pixels in [0, 1], " + in.channels() + "×" + in.height() + "×" + in.width()
                    + " (NCHW); the graph multiplies by 255 and applies Caffe's data transform"
                    + (input.means().length > 0 ? " (− mean " + Arrays.toString(input.means()) + ")" : "")
                    + (input.scale() != 1f ? " (× " + input.scale() + ")" : ""));
        } else {
            notes.add("input: the blob '" + input.blob() + "' exactly as Caffe takes it, " + in.channels() + "×"
                    + in.height() + "×" + in.width() + " (NCHW)");
        }
        if (t.foldedScales() > 0) {
            notes.add(t.foldedScales()
                    + " Scale layers folded into the BatchNorm layers before them (named after the BatchNorm)");
        }
        if (!skipped.isEmpty()) {
            notes.add("training-only layers left out: " + String.join(", ", skipped));
        }
        return new ImportedModel(network, InputType.convolutional(in.height(), in.width(), in.channels()), notes);
    }
}
