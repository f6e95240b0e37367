package io.rankforge.jobs.profile;

import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.store.NamedRows;
import io.rankforge.model.LayerSpec;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The profiles table: one row per (model, compressible layer); docs/results.md describes it. */
public final class ProfileRows {
    public static final StructType SCHEMA = new StructType()
            .add("model", DataTypes.StringType, false)
            .add("model_digest", DataTypes.StringType, false)
            .add("model_uri", DataTypes.StringType, false)
            .add("layer", DataTypes.StringType, false)
            .add("layer_index", DataTypes.IntegerType, false)
            .add("kind", DataTypes.StringType, false)
            .add("scheme", DataTypes.StringType, false)
            .add("in_channels", DataTypes.IntegerType, false)
            .add("out_channels", DataTypes.IntegerType, false)
            .add("kernel_h", DataTypes.IntegerType, false)
            .add("kernel_w", DataTypes.IntegerType, false)
            .add("stride_h", DataTypes.IntegerType, false)
            .add("stride_w", DataTypes.IntegerType, false)
            .add("pad_h", DataTypes.IntegerType, false)
            .add("pad_w", DataTypes.IntegerType, false)
            .add("in_h", DataTypes.IntegerType, false)
            .add("in_w", DataTypes.IntegerType, false)
            .add("out_h", DataTypes.IntegerType, false)
            .add("out_w", DataTypes.IntegerType, false)
            .add("has_bias", DataTypes.BooleanType, false)
            .add("full_rank", DataTypes.IntegerType, false)
            .add("r_max", DataTypes.IntegerType, false)
            .add("macs_per_rank", DataTypes.DoubleType, false)
            .add("params_per_rank", DataTypes.DoubleType, false)
            .add("original_macs", DataTypes.DoubleType, false)
            .add("original_params", DataTypes.DoubleType, false)
            .add("network_macs", DataTypes.DoubleType, false)
            .add("network_params", DataTypes.DoubleType, false)
            .add("singular_values", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("pca_energy", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("host", DataTypes.StringType, true);

    private ProfileRows() {}

    static Row row(ModelInput m, NetworkProfile p, int i, double seconds, String host) {
        return row(m.name(), m.digest(), m.uri(), m.plan().layer(p.layer(i).name()), p, i, seconds, host);
    }

    /** The row of layer {@code i} of {@code p}, whose shape is {@code s}; every field set by name. */
    static Row row(
            String model,
            String digest,
            String uri,
            LayerSpec s,
            NetworkProfile p,
            int i,
            double seconds,
            String host) {
        LayerProfile l = p.layer(i);
        return NamedRows.builder(SCHEMA)
                .set("model", model)
                .set("model_digest", digest)
                .set("model_uri", uri)
                .set("layer", l.name())
                .set("layer_index", i)
                .set("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT))
                .set("scheme", l.scheme().id())
                .set("in_channels", s.inChannels())
                .set("out_channels", s.outChannels())
                .set("kernel_h", s.kernelH())
                .set("kernel_w", s.kernelW())
                .set("stride_h", s.strideH())
                .set("stride_w", s.strideW())
                .set("pad_h", s.padH())
                .set("pad_w", s.padW())
                .set("in_h", s.inH())
                .set("in_w", s.inW())
                .set("out_h", s.outH())
                .set("out_w", s.outW())
                .set("has_bias", s.hasBias())
                .set("full_rank", l.fullRank())
                .set("r_max", l.rMax())
                .set("macs_per_rank", l.macsPerRank())
                .set("params_per_rank", l.paramsPerRank())
                .set("original_macs", l.originalMacs())
                .set("original_params", l.originalParams())
                .set("network_macs", p.networkMacs())
                .set("network_params", p.networkParams())
                .set(
                        "singular_values",
                        Arrays.stream(l.singularValues()).boxed().toList())
                .set("pca_energy", ProfileJob.pcaCurve(l))
                .set("seconds", seconds)
                .set("host", host)
                .build();
    }
}
