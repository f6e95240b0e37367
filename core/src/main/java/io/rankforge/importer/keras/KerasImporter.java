package io.rankforge.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.UserInputException;
import io.rankforge.importer.ImportedModel;
import io.rankforge.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;

/**
 * Imports a Keras 2 model saved as one HDF5 file ({@code model.save("x.h5")}) with DL4J's own Keras
 * importer: a Sequential model becomes a MultiLayerNetwork, a functional Model a ComputationGraph.
 *
 * <p>DL4J keeps Keras's layout: a channels_last model takes NHWC input, and the returned
 * {@link InputType} says so ({@link InputType.InputTypeConvolutional#getFormat()});
 * {@link io.rankforge.importer.InputLayout} turns RankForge's NCHW images into what such a model takes.
 */
public final class KerasImporter {
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private KerasImporter() {}

    public static ImportedModel load(Path h5) {
        if (!Files.isRegularFile(h5)) {
            throw new UserInputException("Keras model " + h5 + " does not exist or is not a file");
        }
        if (!isHdf5(h5)) {
            throw new UserInputException("Keras model " + h5 + " is not an HDF5 file; give the .h5 file that "
                    + "Keras 2's model.save(...) wrote");
        }
        JsonNode config = modelConfig(h5);
        InputType input = inputType(h5, config); // fails early on shapes RankForge cannot use
        String kind = config.path("class_name").asText("");
        Model network;
        try {
            network = switch (kind) {
                case "Sequential" -> KerasModelImport.importKerasSequentialModelAndWeights(h5.toString(), false);
                case "Model", "Functional" -> KerasModelImport.importKerasModelAndWeights(h5.toString(), false);
                default ->
                    throw new UserInputException("Keras model " + h5 + " is a '" + kind
                            + "'; RankForge imports Sequential and functional (Model) networks");
            };
        } catch (UserInputException e) {
            throw e;
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new UserInputException(
                    "Keras model " + h5 + " cannot be imported by DL4J's Keras 2 importer: " + oneLine(e), e);
        }
        return new ImportedModel(
                network,
                input,
                List.of("Keras " + kind + " model imported with DL4J's Keras importer; input layout "
                        + layoutNote(input)));
    }

    private static String layoutNote(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return c.getFormat() + (c.getFormat() == CNN2DFormat.NHWC ? " (channels last, as in Keras)" : "");
        }
        return "flat vector of " + type.arrayElementsPerExample();
    }

    /** The model's JSON (root attribute model_config), or a clear error when the file holds none. */
    private static JsonNode modelConfig(Path h5) {
        String json;
        try (Hdf5Archive archive = new Hdf5Archive(h5.toString())) {
            if (!archive.hasAttribute("model_config")) {
                throw new UserInputException("Keras model " + h5 + " is an HDF5 file but not a Keras model "
                        + "(it has no model_config attribute); save the model with Keras 2's model.save('x.h5')");
            }
            json = archive.readAttributeAsJson("model_config");
        } catch (UserInputException e) {
            throw e;
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new UserInputException("Keras model " + h5 + " cannot be read as HDF5: " + oneLine(e), e);
        }
        return Json.parse(json, "model_config of " + h5);
    }

    /** The input shape the model declares: batch_input_shape of its first layer (or of its input layer). */
    static InputType inputType(Path h5, JsonNode config) {
        JsonNode layers = config.path("config").path("layers");
        if (!layers.isArray()) {
            layers = config.path("config"); // Keras 2.0's Sequential: config is the list
        }
        JsonNode first = layers.path(0).path("config");
        JsonNode shape = first.path("batch_input_shape");
        if (!shape.isArray()) {
            shape = first.path("batch_shape");
        }
        if (!shape.isArray()) {
            throw new UserInputException("Keras model " + h5 + " does not declare its input shape "
                    + "(no batch_input_shape on its first layer)");
        }
        int[] dims = new int[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            if (!shape.get(i).canConvertToInt() || shape.get(i).asInt() <= 0) {
                throw new UserInputException("Keras model " + h5 + " has a variable input size " + shape
                        + "; RankForge needs a fixed input shape");
            }
            dims[i - 1] = shape.get(i).asInt();
        }
        if (dims.length == 1) {
            return InputType.feedForward(dims[0]);
        }
        if (dims.length == 3) {
            boolean channelsFirst =
                    "channels_first".equals(first.path("data_format").asText("channels_last"));
            return channelsFirst
                    ? InputType.convolutional(dims[1], dims[2], dims[0], CNN2DFormat.NCHW)
                    : InputType.convolutional(dims[0], dims[1], dims[2], CNN2DFormat.NHWC);
        }
        throw new UserInputException("Keras model " + h5 + " takes input of shape " + Arrays.toString(dims)
                + "; RankForge imports image (H, W, C) and vector models only");
    }

    private static boolean isHdf5(Path file) {
        // the signature sits at offset 0, 512, 1024, ... (after an optional user block)
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            for (int offset = 0;
                    offset + HDF5_SIGNATURE.length <= head.length;
                    offset = offset == 0 ? 512 : offset * 2) {
                if (Arrays.equals(Arrays.copyOfRange(head, offset, offset + HDF5_SIGNATURE.length), HDF5_SIGNATURE)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UserInputException("cannot read Keras model " + file + ": " + e.getMessage(), e);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
