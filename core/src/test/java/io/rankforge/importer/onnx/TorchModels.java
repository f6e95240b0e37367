package io.rankforge.importer.onnx;

import io.rankforge.data.ImageDataset;
import io.rankforge.decompose.TestNetworks;
import io.rankforge.testing.PythonTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch CNNs built, trained and exported by {@code tools/python/torch_cnn.py} on real Fashion-MNIST images, with
 * PyTorch's own outputs for probe images (the test split's first images).
 *
 * @param onnx   the exported model
 * @param probes the probe images, NCHW, pixels in [0, 1]
 * @param torch  PyTorch's outputs for them (logits), [probes, 10]
 * @param report the script's JSON line (operators, opset, training accuracy)
 */
public record TorchModels(Path onnx, INDArray probes, INDArray torch, String report) {
    /** Training images: enough for a model that is clearly better than chance after one epoch. */
    public static final int TRAIN_IMAGES = 1500;

    public static final int PROBES = 64;

    /**
     * Trains (unless the variant is an unsupported one, which is exported untrained) and exports one model.
     *
     * @param variant  residual, gap, sigmoid or grouped (tools/python/torch_cnn.py)
     * @param exporter legacy (TorchScript) or dynamo (torch.export)
     */
    public static TorchModels export(String variant, int opset, String exporter, Path dir) throws IOException {
        ImageDataset train = TestNetworks.train(TRAIN_IMAGES);
        ImageDataset probe = TestNetworks.test(PROBES);
        Path images = dir.resolve("train.f32"), labels = dir.resolve("train.u8"), probes = dir.resolve("probe.f32");
        if (!Files.exists(images)) {
            PythonTools.writeFloats(train.features(), images);
            byte[] y = new byte[train.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = (byte) train.label(i);
            }
            Files.write(labels, y);
            PythonTools.writeFloats(probe.features(), probes);
        }
        String stem = variant + "-opset" + opset + "-" + exporter;
        Path onnx = dir.resolve(stem + ".onnx"), out = dir.resolve(stem + ".f32");
        String report = PythonTools.script(
                "torch_cnn.py",
                List.of(
                        "--images", images.toString(),
                        "--labels", labels.toString(),
                        "--count", String.valueOf(TRAIN_IMAGES),
                        "--probe", probes.toString(),
                        "--probe-count", String.valueOf(PROBES),
                        "--variant", variant,
                        "--opset", String.valueOf(opset),
                        "--exporter", exporter,
                        "--epochs", "3",
                        "--out", onnx.toString(),
                        "--probe-out", out.toString()),
                600);
        return new TorchModels(onnx, probe.features(), PythonTools.readFloats(out, PROBES, 10), report);
    }
}
