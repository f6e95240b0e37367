package io.rankforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Json;
import io.rankforge.io.Listing;
import io.rankforge.zoo.ZooArchitecture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Reads DL4J's ModelSerializer zip. Whether it holds a MultiLayerNetwork or a ComputationGraph is read
 * from its configuration.json (a graph has "vertices", a multi-layer network "confs"). The input type
 * comes from the sidecar's {@code input_shape} [channels, height, width], else from the zoo
 * architecture with exactly the model's layer names.
 */
final class Dl4jZipReader {
    private Dl4jZipReader() {}

    static LoadedModel read(Path file) {
        boolean graph = isGraph(file);
        ObjectNode sidecar = ModelLoader.readSidecar(file);
        Model model;
        try {
            model = graph
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("model file " + file + " is not a loadable DL4J model: " + e.getMessage(), e);
        }
        InputType inputType = inputType(file, sidecar, model);
        return new LoadedModel(model, inputType, ModelLoader.digest(file), file, sidecar);
    }

    /**
     * Reads the configuration, after checking every entry's size: DL4J's reader decompresses every entry whole
     * (configuration.json into a String, the coefficients into native memory), so a zip bomb must be stopped here,
     * with the entries decompressed and counted against {@link InputLimits#modelBytes()}, before DL4J sees it.
     */
    private static boolean isGraph(Path file) {
        InputLimits limits = InputLimits.current();
        String what = "model file " + file;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            BoundedInput.checkDeclared(Files.size(file), limits.modelBytes(), what, "model-bytes");
            if (zip.size() > limits.zipEntries()) {
                throw BoundedInput.tooLarge(
                        what, "has " + zip.size() + " zip entries", limits.zipEntries(), "zip-entries");
            }
            ZipEntry conf = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (conf == null) {
                throw new UserInputException("model file " + file + " is a zip but not a DL4J model (no "
                        + ModelSerializer.CONFIGURATION_JSON + " inside)");
            }
            checkEntries(zip, what, limits.modelBytes());
            String confWhat = ModelSerializer.CONFIGURATION_JSON + " of model file " + file;
            BoundedInput.checkDeclared(conf.getSize(), limits.jsonBytes(), confWhat, "json-bytes");
            String text;
            try (InputStream in =
                    BoundedInput.open(zip.getInputStream(conf), limits.jsonBytes(), confWhat, "json-bytes")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode n = Json.parse(text, "configuration of model file " + file);
            if (n.has("vertices")) {
                return true;
            }
            if (n.has("confs")) {
                return false;
            }
            throw new UserInputException("model file " + file
                    + " has a configuration that is neither a MultiLayerNetwork nor a ComputationGraph");
        } catch (ZipException e) {
            throw new UserInputException(
                    "model file " + file + " is not a DL4J model zip (not a zip archive: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UserInputException("cannot read model file " + file + ": " + e.getMessage());
        }
    }

    /** Decompresses every entry into nothing, counting the bytes: the declared sizes of a zip may lie. */
    private static void checkEntries(ZipFile zip, String what, long limit) throws IOException {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        for (var entries = zip.entries(); entries.hasMoreElements(); ) {
            ZipEntry e = entries.nextElement();
            if (e.getSize() > limit - total) {
                throw BoundedInput.tooLarge(
                        what,
                        "has an entry " + Listing.shorten(e.getName()) + " of " + e.getSize() + " bytes",
                        limit,
                        "model-bytes");
            }
            try (InputStream in = zip.getInputStream(e)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw BoundedInput.tooLarge(
                                what, "holds more than " + limit + " bytes uncompressed", limit, "model-bytes");
                    }
                }
            }
        }
    }

    /** From the sidecar's input_shape; without one, from the zoo architecture whose layer names the model has. */
    private static InputType inputType(Path file, ObjectNode sidecar, Model model) {
        JsonNode shape = sidecar == null ? null : sidecar.get("input_shape");
        if (shape == null || !shape.isArray() || shape.size() != 3) {
            Optional<ZooArchitecture> zoo = ZooArchitecture.matching(model);
            if (zoo.isPresent()) {
                return zoo.get().inputType();
            }
            throw new UserInputException("cannot tell the input shape of model file " + file + ": its sidecar "
                    + ModelLoader.sidecarPath(file)
                    + " is missing or lacks \"input_shape\": [channels, height, width]; "
                    + "write one, e.g. {\"input_shape\": [1, 28, 28]}");
        }
        int c = shape.get(0).asInt(), h = shape.get(1).asInt(), w = shape.get(2).asInt();
        if (c <= 0 || h <= 0 || w <= 0) {
            throw new UserInputException(
                    "model sidecar " + ModelLoader.sidecarPath(file) + " has invalid input_shape " + shape);
        }
        return InputType.convolutional(h, w, c);
    }
}
