package io.rankforge.jobs.benchmark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.MetricKind;
import io.rankforge.UserInputException;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.run.Problems;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.ReferenceProfileReader;
import io.rankforge.search.Selection;
import io.rankforge.search.catalog.RankSelectors;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Every method's selection at every budget on the paper's own networks (the ENC reference data of VGG-16 and
 * ResNet-56), so that the leaderboard shows how the methods spend a budget on the networks the paper studied. There
 * is no network behind that data, hence no accuracy: a method that needs one (enc-inf measures its candidates) is
 * listed as not applicable, and a method that cannot meet a budget is listed with its reason.
 */
final class ReferenceSelections {
    private ReferenceSelections() {}

    /** One row per reference folder × budget × method: costs, metric value and search time, or why there is none. */
    static ArrayNode of(JobConfig c, java.util.List<Path> folders, Consumer<String> progress) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        MetricKind metric = MetricKind.parse(c.select().metric());
        for (Path folder : folders) {
            NetworkProfile profile = ReferenceProfileReader.read(folder);
            String name = folder.getFileName().toString();
            for (double budget : c.select().budgets()) {
                for (String method : c.select().methods()) {
                    ObjectNode r = out.addObject();
                    r.put("profile", name);
                    r.put("method", method);
                    r.put("budget", budget);
                    r.put("metric", metric.id());
                    if (method.equals("enc-inf")) {
                        r.put("failed", "needs the network to measure its candidates; the reference data has none");
                        continue;
                    }
                    try {
                        Selection sel = RankSelectors.byId(method)
                                .select(Problems.of(c, profile, "reference:" + name, method, budget, metric, null));
                        r.put("flops_ratio", sel.flopsRatio());
                        r.put("params_ratio", sel.paramsRatio());
                        r.put("metric_value", sel.metricValue());
                        r.put("search_seconds", sel.searchSeconds());
                    } catch (UserInputException e) {
                        // an infeasible budget, or a metric the data lacks (the selectors' typed outcomes): the row
                        // says which, the others go on; any other exception is a defect and stops the benchmark
                        r.put("failed", e.getMessage());
                        progress.accept("reference " + name + ", " + method + " at " + budget + ": " + e.getMessage());
                    }
                }
            }
        }
        return out;
    }
}
