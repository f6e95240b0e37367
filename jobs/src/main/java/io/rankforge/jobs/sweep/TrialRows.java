package io.rankforge.jobs.sweep;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
        Object[] v = new Object[SCHEMA.fields().length];
        int i = 0;
        v[i++] = s.trialId();
        v[i++] = s.model();
        v[i++] = s.modelDigest();
        v[i++] = s.stratum();
        v[i++] = s.stratum() == null ? null : s.stratumLow();
        v[i++] = s.stratum() == null ? null : s.stratumHigh();
        v[i++] = s.source();
        v[i++] = s.pickedBy();
        v[i++] = s.layers();
        v[i++] = Arrays.stream(s.ranks()).boxed().toList();
        v[i++] = s.flopsRatio();
        v[i++] = s.paramsRatio();
        v[i++] = nullIfNaN(s.networkFlopsRatio());
        for (String m : METRICS) {
            v[i++] = s.metrics().containsKey(m) ? nullIfNaN(s.metrics().get(m)) : null;
        }
        v[i++] = s.fineTune().enabled();
        v[i++] = s.fineTune().identity();
        v[i++] = r.ok() ? "ok" : "failed";
        v[i++] = r.error();
        v[i++] = nullIfNaN(r.accuracy());
        v[i++] = nullIfNaN(r.accuracyFineTuned());
        v[i++] = nullIfNaN(r.finalLoss());
        v[i++] = s.taskSeed();
        v[i++] = r.seconds();
        v[i++] = r.host();
        v[i++] = r.finishedAt();
        TrialCost c = r.cost();
        v[i++] = nullIfNaN(c.decompose());
        v[i++] = nullIfNaN(c.recalibrate());
        v[i++] = nullIfNaN(c.evaluate());
        v[i++] = nullIfNaN(c.fineTune());
        v[i++] = nullIfNaN(c.evaluateTuned());
        v[i++] = c.nativeBuild();
        return RowFactory.create(v);
    }

    static Double nullIfNaN(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
