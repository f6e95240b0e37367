package io.rankforge.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.eval.Evaluator;
import io.rankforge.model.LoadedModel;
import io.rankforge.testing.PythonTools;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The exporter's mappings the zoo and imported networks do not use, in one seeded random DL4J graph: zero padding
 * and cropping, a strided non-square Same-mode convolution, merges and a subset, every element-wise op,
 * scale and shift vertices, batch norm with random statistics, p-norm and Same-mode average pooling, sum and max
 * global pooling, and the activations ELU, tanh, swish, leaky ReLU, hard sigmoid, softplus, ReLU6, softsign, hard
 * tanh and sigmoid. onnxruntime's outputs equal DL4J's within 1e-4.
 */
class OnnxExportLayersTest {
    @Test
    void everyOtherMappingMatchesOnnxRuntime(@TempDir Path tmp) throws IOException {
        InputType input = InputType.convolutional(12, 12, 2);
        var g = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(input)
                .addLayer("pad", new ZeroPaddingLayer.Builder(1, 2, 0, 1).build(), "in")
                .addLayer(
                        "c1",
                        new ConvolutionLayer.Builder(3, 2)
                                .nOut(6)
                                .stride(2, 1)
                                .convolutionMode(ConvolutionMode.Same)
                                .activation(Activation.ELU)
                                .build(),
                        "pad")
                .addLayer("crop", new Cropping2D(1, 0, 0, 1), "c1")
                .addVertex("copy", new ScaleVertex(1.0), "crop") // activation layers work in place
                .addLayer("a_tanh", new ActivationLayer(Activation.TANH), "crop")
                .addLayer("a_swish", new ActivationLayer(Activation.SWISH), "copy")
                .addVertex("prod", new ElementWiseVertex(ElementWiseVertex.Op.Product), "a_tanh", "a_swish")
                .addVertex("max", new ElementWiseVertex(ElementWiseVertex.Op.Max), "a_tanh", "a_swish")
                .addVertex("avg", new ElementWiseVertex(ElementWiseVertex.Op.Average), "a_tanh", "a_swish", "prod")
                .addVertex("sub", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), "max", "avg")
                .addVertex("sum3", new ElementWiseVertex(ElementWiseVertex.Op.Add), "prod", "sub", "max")
                .addVertex("merge", new MergeVertex(), "prod", "sub", "sum3")
                .addVertex("scaled", new ScaleVertex(1.7), "merge")
                .addVertex("shifted", new ShiftVertex(-0.3), "scaled")
                .addLayer("bn", new BatchNormalization.Builder().build(), "shifted")
                .addLayer(
                        "pnorm",
                        new SubsamplingLayer.Builder(PoolingType.PNORM)
                                .pnorm(2)
                                .kernelSize(2, 2)
                                .stride(1, 1)
                                .build(),
                        "bn")
                .addLayer(
                        "avg_same",
                        new SubsamplingLayer.Builder(PoolingType.AVG)
                                .kernelSize(3, 3)
                                .stride(2, 2)
                                .convolutionMode(ConvolutionMode.Same)
                                .build(),
                        "pnorm")
                .addLayer(
                        "c2",
                        new ConvolutionLayer.Builder(1, 1)
                                .nOut(8)
                                .activation(Activation.LEAKYRELU)
                                .build(),
                        "avg_same")
                .addLayer("a_hardsigmoid", new ActivationLayer(Activation.HARDSIGMOID), "c2")
                .addLayer("a_softplus", new ActivationLayer(Activation.SOFTPLUS), "a_hardsigmoid")
                .addLayer("a_relu6", new ActivationLayer(Activation.RELU6), "c2")
                .addLayer("a_softsign", new ActivationLayer(Activation.SOFTSIGN), "a_relu6")
                .addLayer("a_hardtanh", new ActivationLayer(Activation.HARDTANH), "c2")
                .addLayer("a_sigmoid", new ActivationLayer(Activation.SIGMOID), "a_hardtanh")
                .addLayer("g_sum", new GlobalPoolingLayer.Builder(PoolingType.SUM).build(), "a_softplus")
                .addLayer("g_max", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "a_softsign")
                .addLayer("g_avg", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "a_sigmoid")
                .addVertex("features", new MergeVertex(), "g_sum", "g_max", "g_avg")
                .addVertex("subset", new SubsetVertex(2, 20), "features")
                .addLayer(
                        "fc",
                        new DenseLayer.Builder()
                                .nOut(12)
                                .activation(Activation.TANH)
                                .build(),
                        "subset")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(5)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "fc")
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(g);
        net.init();
        Nd4j.getRandom().setSeed(4);
        var bn = net.getLayer("bn");
        bn.setParam(
                BatchNormalizationParamInitializer.GAMMA,
                Nd4j.rand(DataType.FLOAT, 1, 18).addi(0.5));
        bn.setParam(
                BatchNormalizationParamInitializer.BETA,
                Nd4j.rand(DataType.FLOAT, 1, 18).subi(0.5));
        bn.setParam(
                BatchNormalizationParamInitializer.GLOBAL_MEAN,
                Nd4j.rand(DataType.FLOAT, 1, 18).subi(0.5));
        bn.setParam(
                BatchNormalizationParamInitializer.GLOBAL_LOG_STD,
                Nd4j.rand(DataType.FLOAT, 1, 18).subi(0.5));

        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 2, 12, 12);
        Path onnx = tmp.resolve("layers.onnx");
        OnnxExporter.Result r =
                OnnxExporter.write(new LoadedModel(net, input, "test", tmp.resolve("x.zip"), null), onnx);
        INDArray expected = Evaluator.output(net, images);
        INDArray actual = PythonTools.onnxRuntime(onnx, images, tmp, expected.shape());
        double rel = PythonTools.relativeDifference(actual, expected);
        assertTrue(rel <= 1e-4, "onnxruntime differs from DL4J by " + rel + "; operators " + r.operators());
        for (String op : new String[] {
            "Pad",
            "Slice",
            "Elu",
            "Tanh",
            "Sigmoid",
            "Mul",
            "Max",
            "Mean",
            "Sub",
            "Sum",
            "Concat",
            "Add",
            "LpPool",
            "AveragePool",
            "LeakyRelu",
            "HardSigmoid",
            "Softplus",
            "Clip",
            "Softsign",
            "GlobalAveragePool",
            "GlobalMaxPool"
        }) {
            assertTrue(r.operators().contains(op), op + " written: " + r.operators());
        }
    }
}
