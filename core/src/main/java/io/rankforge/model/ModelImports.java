package io.rankforge.model;

import io.rankforge.UserInputException;
import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.caffe.CaffeImporter;
import io.rankforge.importer.keras.KerasImporter;
import io.rankforge.importer.onnx.OnnxImporter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Models trained in other frameworks, recognised by their file name: {@code .caffemodel} (Caffe, with
 * its .prototxt beside it or given), {@code .h5} / {@code .hdf5} (Keras 2) and {@code .onnx} (ONNX, e.g. from
 * PyTorch).
 */
public final class ModelImports {
    private ModelImports() {}

    /** True when {@code model} names a file this class imports. */
    public static boolean handles(Path model) {
        String n = name(model);
        return n.endsWith(".caffemodel") || n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".onnx");
    }

    /**
     * @param prototxt the Caffe definition, or null to use the one beside a .caffemodel; only valid with
     *                 a .caffemodel
     */
    public static ImportedModel load(Path model, Path prototxt) {
        String n = name(model);
        if (prototxt != null && !n.endsWith(".caffemodel")) {
            throw new UserInputException(
                    "prototxtFile " + prototxt + " applies to Caffe models (.caffemodel) only, not to " + model);
        }
        if (n.endsWith(".caffemodel")) {
            return CaffeImporter.load(model, prototxt);
        }
        if (n.endsWith(".h5") || n.endsWith(".hdf5")) {
            return KerasImporter.load(model);
        }
        if (n.endsWith(".onnx")) {
            return OnnxImporter.load(model);
        }
        throw new UserInputException("model " + model + " is not a .caffemodel, Keras .h5 or .onnx file");
    }

    private static String name(Path model) {
        Path f = model.getFileName();
        return f == null ? "" : f.toString().toLowerCase(Locale.ROOT);
    }
}
