package io.rankforge.jobs.benchmark;

import io.rankforge.jobs.store.NamedRows;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The benchmark table (one row per compression and fine-tuning seed) and its journal rows. */
final class BenchmarkRows {
    static final String TABLE = "benchmark";

    static final StructType SCHEMA = new StructType()
            .add("trial_id", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("model_digest", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false)
            .add("budget", DataTypes.DoubleType, false)
            .add("seed_index", DataTypes.IntegerType, false)
            .add("seed", DataTypes.LongType, false)
            .add("layers", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("ranks", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("fine_tune", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("flops_ratio", DataTypes.DoubleType, true)
            .add("params_ratio", DataTypes.DoubleType, true)
            .add("network_flops_ratio", DataTypes.DoubleType, true)
            .add("network_params_ratio", DataTypes.DoubleType, true)
            .add("accuracy_original", DataTypes.DoubleType, true)
            .add("accuracy", DataTypes.DoubleType, true)
            .add("accuracy_finetuned", DataTypes.DoubleType, true)
            .add("latency_original_ms_b1", DataTypes.DoubleType, true)
            .add("latency_ms_b1", DataTypes.DoubleType, true)
            .add("seconds", DataTypes.DoubleType, false)
            .add("finished_at", DataTypes.LongType, false);

    private BenchmarkRows() {}

    static Row toRow(BenchmarkOutcome o) {
        BenchmarkTask t = o.task();
        return NamedRows.builder(SCHEMA)
                .set("trial_id", t.taskId())
                .set("model", t.model())
                .set("model_digest", t.digest())
                .set("method", t.method())
                .set("budget", t.budget())
                .set("seed_index", t.seedIndex())
                .set("seed", t.seed())
                .set("layers", t.layers())
                .set("ranks", Arrays.stream(t.ranks()).boxed().toList())
                .set("fine_tune", t.fineTune())
                .set("status", o.ok() ? "ok" : "failed")
                .set("error", o.error())
                .set("flops_ratio", nullIfNaN(o.flopsRatio()))
                .set("params_ratio", nullIfNaN(o.paramsRatio()))
                .set("network_flops_ratio", nullIfNaN(o.networkFlopsRatio()))
                .set("network_params_ratio", nullIfNaN(o.networkParamsRatio()))
                .set("accuracy_original", nullIfNaN(o.accuracyOriginal()))
                .set("accuracy", nullIfNaN(o.accuracy()))
                .set("accuracy_finetuned", nullIfNaN(o.accuracyFinetuned()))
                .set("latency_original_ms_b1", nullIfNaN(o.latencyOriginalMs()))
                .set("latency_ms_b1", nullIfNaN(o.latencyMs()))
                .set("seconds", o.seconds())
                .set("finished_at", o.finishedAt())
                .build();
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
