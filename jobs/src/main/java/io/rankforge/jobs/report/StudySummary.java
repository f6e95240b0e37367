package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * DIR/summary.json: the study's facts (model, sweep counts, fine-tuning, layers, figures, phases, provenance). The
 * quickstart adds the validation contract ({@code strata}, {@code comparisons}, {@code picks}) from the validate
 * job's result; the quickstart's --json line is this object.
 */
public final class StudySummary {
    private StudySummary() {}

    public static ObjectNode of(
            StudyResults r,
            List<Figure> figures,
            List<PhaseTiming> phases,
            double totalSeconds,
            Path outDir,
            Path reportIndex,
            ObjectNode provenance) {
        ObjectNode o = Json.object();
        o.put("command", "quickstart");
        o.put("status", "ok");
        o.put("out", outDir.toAbsolutePath().toString());
        o.put("report", reportIndex.toAbsolutePath().toString());
        o.put("seconds", round(totalSeconds, 1));
        o.put("flops_ratio_basis", "compressible layers unless the field name says network");
        o.set("model", Json.MAPPER.valueToTree(r.model()));
        o.put("confidence", r.confidence());
        o.set("sweep", Json.MAPPER.valueToTree(r.sweep()));
        o.put("fine_tuning", r.fineTuning());
        o.put("batch_norm_calibration_images", r.calibrationImages());
        o.set("layers", Json.MAPPER.valueToTree(r.layers()));
        o.set("phases", Json.MAPPER.valueToTree(phases));
        ArrayNode figs = o.putArray("figures");
        for (Figure f : figures) {
            figs.add("report/" + f.file());
        }
        o.set("provenance", provenance);
        return o;
    }

    private static double round(double v, int decimals) {
        double s = Math.pow(10, decimals);
        return Math.round(v * s) / s;
    }
}
