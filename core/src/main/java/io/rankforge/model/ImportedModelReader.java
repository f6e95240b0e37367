package io.rankforge.model;

import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.onnx.OnnxFiles;
import java.nio.file.Path;

/**
 * Reads models trained in other frameworks (Caffe .caffemodel, Keras .h5/.hdf5, ONNX .onnx) through
 * {@link ModelImports}. The digest is the weights file's; a Caffe model's prototxt is found beside it
 * unless one is given.
 */
final class ImportedModelReader {
    private ImportedModelReader() {}

    static LoadedModel read(Path file, Path prototxt) {
        ImportedModel m = ModelImports.load(file, prototxt);
        String digest =
                file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")
                        ? OnnxFiles.digest(file) // covers weights kept in a .onnx.data file beside it
                        : ModelLoader.digest(file);
        return new LoadedModel(m.network(), m.inputType(), digest, file, ModelLoader.readSidecar(file));
    }
}
