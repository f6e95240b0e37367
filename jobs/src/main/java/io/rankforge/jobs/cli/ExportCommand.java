package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.export.OnnxExporter;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rankforge export}: writes a model RankForge can load as ONNX (docs/onnx.md). */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a model as ONNX (opset " + OnnxExporter.OPSET + "): a zoo model, a decomposed or compressed "
                    + "one, or an imported one (.caffemodel, .h5, .onnx).",
            "The ONNX model takes float32 images [N, C, H, W] (NCHW), pixels scaled to [0, 1] as RankForge feeds "
                    + "its networks, and outputs the network's class scores. The file is written to a temporary "
                    + "path beside --out and renamed."
        })
public final class ExportCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "model file (.zip written by `zoo train` or a compression, .caffemodel, .h5, .onnx)")
    Path model;

    @Option(
            names = "--prototxt",
            paramLabel = "FILE",
            description = "a Caffe model's network definition (default: the .prototxt beside the .caffemodel)")
    Path prototxt;

    @Option(
            names = "--format",
            defaultValue = "onnx",
            description = "output format: onnx (the only one; default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "where to write the model")
    Path out;

    @Option(
            names = "--json",
            description = "print one JSON object as the last line of stdout (everything else goes to stderr)")
    boolean json;

    @Override
    public Integer call() {
        if (!format.toLowerCase(Locale.ROOT).equals("onnx")) {
            throw new UserInputException("--format " + format + " is not supported; RankForge exports onnx");
        }
        LoadedModel loaded = ModelLoader.load(model, prototxt);
        OnnxExporter.Result r = OnnxExporter.write(loaded, out);
        ObjectNode o = r.toJson();
        o.put("model", model.toString());
        o.put("model_sha256", loaded.sha256());
        o.put("model_kind", loaded.kind());
        String summary = "wrote " + out + ": ONNX opset " + OnnxExporter.OPSET + ", " + r.nodes() + " nodes, "
                + r.bytes() + " bytes; input '" + OnnxExporter.INPUT + "' float32 [N, "
                + String.join(", ", r.inputShape().stream().map(String::valueOf).toList())
                + "] (NCHW, pixels in [0, 1]); output '" + r.outputName() + "' [N, "
                + String.join(
                        ", ", r.outputShape().stream().map(String::valueOf).toList()) + "]";
        if (json) {
            System.err.println(summary);
            JsonOut.print(o);
        } else {
            System.out.println(summary);
            System.out.println("operators: " + String.join(", ", r.operators()));
        }
        return 0;
    }
}
