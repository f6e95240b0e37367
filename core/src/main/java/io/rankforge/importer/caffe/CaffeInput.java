package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.caffe.proto.CaffeProto.BlobShape;
import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.TransformationParameter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network's one input: which blob, its shape, and the transform Caffe applied to it.
 *
 * <p>Caffe's image data layers (Data, ImageData, MemoryData) read 8-bit pixels and apply
 * {@code (pixel − mean) × scale}. RankForge images are float pixels in [0, 1]; so for those layers the
 * imported graph takes [0, 1] pixels and multiplies by 255 before Caffe's transform
 * ({@code unitPixels}). An Input layer (or the net-level {@code input} fields) carries no transform: the
 * graph then takes exactly the blob Caffe took.
 *
 * @param means one value per channel (empty when no mean is subtracted)
 */
record CaffeInput(String blob, FeatureShape shape, boolean unitPixels, float scale, float[] means) {

    static final Set<String> IMAGE_DATA_TYPES = Set.of("Data", "ImageData", "MemoryData");
    static final Set<String> INPUT_TYPES = Set.of("Data", "ImageData", "MemoryData", "Input");

    /**
     * @param testLayers layers of the TEST net, in order
     * @param weights    the .caffemodel's layers by name
     * @param override   the input shape the user gave (C, H, W), if any
     */
    static CaffeInput find(
            NetParameter definition,
            List<LayerParameter> testLayers,
            Map<String, LayerParameter> weights,
            Optional<int[]> override) {
        List<LayerParameter> dataLayers = testLayers.stream()
                .filter(l -> INPUT_TYPES.contains(l.getType()))
                .toList();
        int declared = dataLayers.size() + definition.getInputCount();
        if (declared != 1) {
            throw new UserInputException("Caffe network '" + definition.getName() + "' has " + declared
                    + " input layers in its TEST phase; RankForge imports networks with exactly one");
        }
        if (definition.getInputCount() == 1) {
            int[] dims = netLevelShape(definition);
            return new CaffeInput(definition.getInput(0), shapeOf(override, dims), false, 1f, new float[0]);
        }
        LayerParameter data = dataLayers.get(0);
        if (data.getTopCount() == 0) {
            throw new UserInputException("Caffe input layer '" + data.getName() + "' has no top blob");
        }
        String blob = data.getTop(0);
        if (data.getType().equals("Input")) {
            int[] dims = data.getInputParam().getShapeCount() > 0
                    ? dims(data.getInputParam().getShape(0))
                    : null;
            return new CaffeInput(blob, shapeOf(override, dims), false, 1f, new float[0]);
        }
        TransformationParameter t = data.getTransformParam();
        if (t.hasMeanFile()) {
            throw new UserInputException("Caffe data layer '" + data.getName() + "' subtracts a mean_file; RankForge "
                    + "imports mean_value only: replace mean_file by its per-channel mean_value entries");
        }
        FeatureShape shape;
        if (override.isPresent()) {
            shape = shapeOf(override, null);
        } else {
            int[] hw = cropOf(t);
            if (hw == null) {
                // the test images are stored at the network's size; the training crop says which size that is
                hw = definition.getLayerList().stream()
                        .filter(l -> IMAGE_DATA_TYPES.contains(l.getType()))
                        .map(l -> cropOf(l.getTransformParam()))
                        .filter(c -> c != null)
                        .findFirst()
                        .orElse(null);
            }
            if (hw == null) {
                throw new UserInputException("Caffe data layer '" + data.getName() + "' does not say the image size "
                        + "(no crop_size); give the input shape explicitly");
            }
            int channels = channelsFromFirstConvolution(blob, testLayers, weights, t.getMeanValueCount());
            shape = FeatureShape.map(channels, hw[0], hw[1]);
        }
        float[] means = new float[0];
        if (t.getMeanValueCount() > 0) {
            means = new float[shape.channels()];
            if (t.getMeanValueCount() != 1 && t.getMeanValueCount() != shape.channels()) {
                throw new UserInputException("Caffe data layer '" + data.getName() + "' gives " + t.getMeanValueCount()
                        + " mean_value entries for " + shape.channels() + " channels (need 1 or one per channel)");
            }
            for (int c = 0; c < means.length; c++) {
                means[c] = t.getMeanValue(t.getMeanValueCount() == 1 ? 0 : c);
            }
        }
        return new CaffeInput(blob, shape, IMAGE_DATA_TYPES.contains(data.getType()), t.getScale(), means);
    }

    private static int[] cropOf(TransformationParameter t) {
        if (t.getCropH() > 0 && t.getCropW() > 0) {
            return new int[] {t.getCropH(), t.getCropW()};
        }
        if (t.getCropSize() > 0) {
            return new int[] {t.getCropSize(), t.getCropSize()};
        }
        return null;
    }

    /** Channels of the input = the input channels of the first convolution that reads it. */
    private static int channelsFromFirstConvolution(
            String blob, List<LayerParameter> layers, Map<String, LayerParameter> weights, int meanCount) {
        for (LayerParameter l : layers) {
            if (l.getType().equals("Convolution") && l.getBottomList().contains(blob)) {
                LayerParameter w = weights.get(l.getName());
                if (w == null || w.getBlobsCount() == 0) {
                    // the definition names a layer the weights lack: say so, not that the input is unknown
                    throw new UserInputException("Caffe layer '" + l.getName() + "' (Convolution) of the prototxt "
                            + "has no weights in the .caffemodel; do the .caffemodel and the .prototxt belong "
                            + "together?");
                }
                CaffeBlob kernel = CaffeBlob.of(w.getBlobs(0), l.getName(), 0);
                if (kernel.shape().length == 4) {
                    return (int) kernel.shape()[1]
                            * Math.max(1, l.getConvolutionParam().getGroup());
                }
            }
        }
        if (meanCount > 1) {
            return meanCount;
        }
        throw new UserInputException("cannot tell how many channels the Caffe network's input '" + blob
                + "' has; give the input shape explicitly");
    }

    private static int[] netLevelShape(NetParameter net) {
        if (net.getInputShapeCount() > 0) {
            return dims(net.getInputShape(0));
        }
        if (net.getInputDimCount() >= 4) {
            return new int[] {net.getInputDim(1), net.getInputDim(2), net.getInputDim(3)};
        }
        return null;
    }

    /** C, H, W of an N×C×H×W blob shape, or null when it is not 4-D. */
    private static int[] dims(BlobShape s) {
        if (s.getDimCount() != 4) {
            return null;
        }
        return new int[] {(int) s.getDim(1), (int) s.getDim(2), (int) s.getDim(3)};
    }

    private static FeatureShape shapeOf(Optional<int[]> override, int[] declared) {
        int[] chw = override.orElse(declared);
        if (chw == null) {
            throw new UserInputException(
                    "the Caffe network's input shape is not declared as N×C×H×W; give the input shape explicitly");
        }
        if (chw.length != 3 || chw[0] <= 0 || chw[1] <= 0 || chw[2] <= 0) {
            throw new UserInputException("input shape must be three positive numbers C, H, W");
        }
        return FeatureShape.map(chw[0], chw[1], chw[2]);
    }
}
