package io.rankforge.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.eval.Evaluator;
import io.rankforge.importer.InputLayout;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.testing.PythonTools;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imported models exported to ONNX give onnxruntime outputs equal to DL4J's within 1e-4: the Keras channels-last
 * fixtures and the paper's ResNet-56 (Caffe: its data transform, folded BatchNorm + Scale, projection shortcuts,
 * global pooling). CIFAR-10 cannot be downloaded on the build machines, so the inputs are seeded uniform [0, 1)
 * images of the models' input shapes.
 */
class OnnxExportImportedTest {
    /** Keras channels-last models: the ONNX model takes NCHW images, DL4J the same images permuted to NHWC. */
    @Test
    void kerasChannelsLastModels(@TempDir Path tmp) throws Exception {
        for (String file : new String[] {"sequential_cnn.h5", "functional_residual.h5"}) {
            LoadedModel keras = ModelLoader.load(
                    Path.of(getClass().getResource("/keras/" + file).toURI()));
            var in = (org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional) keras.inputType();
            Path onnx = tmp.resolve(file + ".onnx");
            OnnxExporter.write(keras, onnx);
            Nd4j.getRandom().setSeed(9);
            INDArray nchw = Nd4j.rand(
                    org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, in.getChannels(), in.getHeight(), in.getWidth());
            INDArray expected = keras.output(InputLayout.forModel(nchw, keras.inputType()));
            INDArray actual = PythonTools.onnxRuntime(onnx, nchw, tmp, expected.shape());
            double rel = PythonTools.relativeDifference(actual, expected);
            assertTrue(rel <= 1e-4, file + ": onnxruntime differs from DL4J by " + rel);
        }
    }

    @Test
    void caffeResNet56(@TempDir Path tmp) throws IOException {
        LoadedModel res56 = ModelLoader.load(ReferenceData.reference("enc/res56/res56.caffemodel"));
        Path onnx = tmp.resolve("res56.onnx");
        OnnxExporter.write(res56, onnx);
        Nd4j.getRandom().setSeed(5);
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 3, 32, 32);
        INDArray expected = Evaluator.output(res56.model(), images);
        INDArray actual = PythonTools.onnxRuntime(onnx, images, tmp, expected.shape());
        double rel = PythonTools.relativeDifference(actual, expected);
        assertTrue(rel <= 1e-4, "ResNet-56: onnxruntime differs from DL4J by " + rel);

        // and RankForge reads its own export back (the data transform's × 255 is a Mul by a scalar)
        LoadedModel back = ModelLoader.load(onnx);
        double relBack = PythonTools.relativeDifference(Evaluator.output(back.model(), images), expected);
        assertTrue(relBack <= 1e-4, "ResNet-56 re-imported from ONNX differs by " + relBack);
        assertTrue(
                io.rankforge.model.NetworkDescriber.describe(back.model(), back.inputType())
                                .layers()
                                .size()
                        == 58,
                "57 convolutions and fc stay compressible");
    }
}
