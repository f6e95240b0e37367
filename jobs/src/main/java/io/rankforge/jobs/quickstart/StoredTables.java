package io.rankforge.jobs.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.store.Tables;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Whether a job's table from an earlier quickstart run can stand: it was written with the same
 * configuration (Spark's own settings aside) for the same model file (digest). Then the quickstart
 * keeps it instead of running the job again. The sweep needs no such check: it resumes by itself.
 */
final class StoredTables {
    private StoredTables() {}

    static boolean upToDate(JobContext ctx, String table, String modelDigest) {
        if (!ctx.store().hasTable(table)) {
            return false;
        }
        JsonNode record = Tables.record(ctx.store(), table);
        if (record == null || !record.has("config")) {
            return false;
        }
        JsonNode now = Json.parse(ctx.config().resolvedJson(), "resolved configuration");
        if (!withoutSpark(record.get("config")).equals(withoutSpark(now))) {
            return false;
        }
        List<Row> digests = ctx.spark()
                .read()
                .parquet(ctx.store().tableUri(table))
                .select("model_digest")
                .distinct()
                .collectAsList();
        return digests.size() == 1 && modelDigest.equals(digests.get(0).getString(0));
    }

    /** The configuration without rankforge.spark (the master or UI do not change a result). */
    private static String withoutSpark(JsonNode config) {
        JsonNode copy = config.deepCopy();
        JsonNode root = copy.path("rankforge");
        if (root instanceof ObjectNode o) {
            o.remove("spark");
        }
        return Json.line(copy);
    }
}
