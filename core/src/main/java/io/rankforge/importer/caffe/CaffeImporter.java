package io.rankforge.importer.caffe;

import io.rankforge.importer.ImportedModel;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Imports a trained Caffe model: the binary weights (.caffemodel) and the network definition
 * (.prototxt, Caffe's text format) become a DL4J ComputationGraph whose vertices carry Caffe's layer
 * names. See {@link CaffeGraphBuilder} for the layer mapping and {@link CaffeInput} for the input.
 */
public final class CaffeImporter {
    private CaffeImporter() {}

    /**
     * @param caffemodel the trained weights
     * @param prototxt   the definition, or null to use the one beside the weights
     *                   ({@link CaffeFiles#prototxtBeside})
     */
    public static ImportedModel load(Path caffemodel, Path prototxt) {
        return load(caffemodel, prototxt, Optional.empty());
    }

    /**
     * @param inputShape channels, height, width of one input image, where the definition does not say
     *                   (a Data layer without crop_size)
     */
    public static ImportedModel load(Path caffemodel, Path prototxt, Optional<int[]> inputShape) {
        CaffeFiles.requireFile(caffemodel, "Caffe model");
        Path definitionFile = prototxt != null ? prototxt : CaffeFiles.prototxtBeside(caffemodel);
        NetParameter definition = CaffeFiles.readDefinition(definitionFile);
        CaffeGraphBuilder.testLayers(definition); // an unsupported layer fails before the weights are read
        NetParameter trained = CaffeFiles.readWeights(caffemodel);
        return CaffeGraphBuilder.build(definition, trained, inputShape);
    }
}
