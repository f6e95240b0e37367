package io.rankforge.jobs.sweep;

import io.rankforge.jobs.store.NamedRows;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The trials table's schema (docs/results.md) and the conversion of results into its rows. */
public final class TrialRows {
    /** Metric columns, in this order: metric_&lt;id&gt;. */
    public static final List<String> METRICS = List.of("pca", "measured", "combined", "frobenius", "nuclear");

    public static final StructType SCHEMA = schema();

    private TrialRows() {}

    private static StructType schema() {
        StructType s = new StructType()
                .add("trial_id", DataTypes.StringType, false)
                .add("model", DataTypes.StringType, false)
                .add("model_digest", DataTypes.StringType, false)
                .add("stratum", DataTypes.StringType, true)
                .add("stratum_low", DataTypes.DoubleType, true)
                .add("stratum_high", DataTypes.DoubleType, true)
                .add("source", DataTypes.StringType, false)
                .add("picked_by", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("layers", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("ranks", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add("flops_ratio", DataTypes.DoubleType, false)
                .add("params_ratio", DataTypes.DoubleType, false)
                .add("network_flops_ratio", DataTypes.DoubleType, true);
        for (String m : METRICS) {
            s = s.add("metric_" + m, DataTypes.DoubleType, true);
        }
        return s.add("fine_tuned", DataTypes.BooleanType, false)
                .add("fine_tune", DataTypes.StringType, false)
                .add("status", DataTypes.StringType, false)
                .add("error", DataTypes.StringType, true)
                .add("accuracy", DataTypes.DoubleType, true)
                .add("accuracy_finetuned", DataTypes.DoubleType, true)
                .add("final_loss", DataTypes.DoubleType, true)
                .add("task_seed", DataTypes.LongType, false)
                .add("seconds", DataTypes.DoubleType, false)
                .add("host", DataTypes.StringType, true)
                .add("finished_at", DataTypes.LongType, false)
                // where the task's time went (nullable: absent from journals written before these columns)
                .add("decompose_s", DataTypes.DoubleType, true)
                .add("recalibrate_s", DataTypes.DoubleType, true)
                .add("evaluate_s", DataTypes.DoubleType, true)
                .add("fine_tune_s", DataTypes.DoubleType, true)
                .add("evaluate_finetuned_s", DataTypes.DoubleType, true)
                .add("native_build", DataTypes.StringType, true);
    }

    public static Row toRow(TrialResult r) {
        TrialSpec s = r.spec();
        NamedRows.Builder b = NamedRows.builder(SCHEMA)
                .set("trial_id", s.trialId())
                .set("model", s.model())
                .set("model_digest", s.modelDigest())
                .set("stratum", s.stratum())
                .set("stratum_low", s.stratum() == null ? null : s.stratumLow())
                .set("stratum_high", s.stratum() == null ? null : s.stratumHigh())
                .set("source", s.source())
                .set("picked_by", s.pickedBy())
                .set("layers", s.layers())
                .set("ranks", Arrays.stream(s.ranks()).boxed().toList())
                .set("flops_ratio", s.flopsRatio())
                .set("params_ratio", s.paramsRatio())
                .set("network_flops_ratio", nullIfNaN(s.networkFlopsRatio()));
        for (String m : METRICS) {
            b.set(
                    "metric_" + m,
                    s.metrics().containsKey(m) ? nullIfNaN(s.metrics().get(m)) : null);
        }
        TrialCost c = r.cost();
        return b.set("fine_tuned", s.fineTune().enabled())
                .set("fine_tune", s.fineTune().identity())
                .set("status", r.ok() ? "ok" : "failed")
                .set("error", r.error())
                .set("accuracy", nullIfNaN(r.accuracy()))
                .set("accuracy_finetuned", nullIfNaN(r.accuracyFineTuned()))
                .set("final_loss", nullIfNaN(r.finalLoss()))
                .set("task_seed", s.taskSeed())
                .set("seconds", r.seconds())
                .set("host", r.host())
                .set("finished_at", r.finishedAt())
                .set("decompose_s", nullIfNaN(c.decompose()))
                .set("recalibrate_s", nullIfNaN(c.recalibrate()))
                .set("evaluate_s", nullIfNaN(c.evaluate()))
                .set("fine_tune_s", nullIfNaN(c.fineTune()))
                .set("evaluate_finetuned_s", nullIfNaN(c.evaluateTuned()))
                .set("native_build", c.nativeBuild())
                .build();
    }

    static Double nullIfNaN(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
