package io.rankforge.zoo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import io.rankforge.io.ModelZips;
import io.rankforge.io.Provenance;
import io.rankforge.io.Sha256;
import io.rankforge.io.Sidecars;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Writes a trained zoo network as DL4J's ModelSerializer zip ({@code FILE.zip}, no updater state)
 * plus its JSON sidecar ({@code FILE.json}), each atomically (temporary file, then rename).
 */
public final class ZooArtifacts {
    public static final String SIDECAR_FORMAT = "rankforge-model/1";

    private ZooArtifacts() {}

    /**
     * Writes both files and returns the sidecar that was written. {@code dataInfo} (may be null) is merged in as
     * "data".
     */
    public static ObjectNode save(TrainedModel t, Path zip, ObjectNode dataInfo) {
        AtomicFiles.write(zip, out -> ModelZips.write(t.model(), out));
        ObjectNode side = sidecar(t, zip, dataInfo);
        AtomicFiles.writeString(Sidecars.pathOf(zip), Json.pretty(side) + "\n");
        return side;
    }

    static ObjectNode sidecar(TrainedModel t, Path zip, ObjectNode dataInfo) {
        ZooArchitecture a = t.architecture();
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) a.inputType();
        ObjectNode o = Json.object();
        o.put("format", SIDECAR_FORMAT);
        o.put("architecture", a.id());
        o.put("kind", a.kind());
        o.put("summary", a.summary());
        o.put("dataset", t.dataset());
        o.put("epochs", t.epochs());
        o.put("seed", t.seed());
        o.put("batch_size", a.batchSize());
        o.put("train_images", t.trainImages());
        ArrayNode shape = o.putArray("input_shape");
        shape.add(in.getChannels()).add(in.getHeight()).add(in.getWidth());
        o.put("input_type", "convolutional(" + in.getHeight() + ", " + in.getWidth() + ", " + in.getChannels() + ")");
        o.put("parameters", t.model().numParams());
        putAccuracy(o, "held_out_accuracy", t.heldOutAccuracy());
        putAccuracy(o, "test_accuracy", t.testAccuracy());
        o.put("training_seconds", Math.round(t.trainingSeconds() * 10) / 10.0);
        if (Double.isNaN(t.trainingCpuSeconds())) {
            o.putNull("training_cpu_seconds");
        } else {
            o.put("training_cpu_seconds", Math.round(t.trainingCpuSeconds() * 10) / 10.0);
        }
        o.put("nd4j_threads", ZooTrainer.nativeThreads());
        o.put("model_file", zip.getFileName().toString());
        o.put("model_sha256", Sha256.of(zip));
        if (dataInfo != null) {
            o.set("data", dataInfo);
        }
        ObjectNode prov = Provenance.describe();
        o.put("git_commit", prov.path("git_commit").asText());
        o.set("provenance", prov);
        return o;
    }

    private static void putAccuracy(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
