package io.rankforge.jobs.profile;

import io.rankforge.jobs.run.ModelInput;
import io.rankforge.model.LayerSpec;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
        LayerProfile l = p.layer(i);
        LayerSpec s = m.plan().layer(l.name());
        return RowFactory.create(
                m.name(),
                m.digest(),
                m.uri(),
                l.name(),
                i,
                s.kind().name().toLowerCase(java.util.Locale.ROOT),
                l.scheme().id(),
                s.inChannels(),
                s.outChannels(),
                s.kernelH(),
                s.kernelW(),
                s.strideH(),
                s.strideW(),
                s.padH(),
                s.padW(),
                s.inH(),
                s.inW(),
                s.outH(),
                s.outW(),
                s.hasBias(),
                l.fullRank(),
                l.rMax(),
                l.macsPerRank(),
                l.paramsPerRank(),
                l.originalMacs(),
                l.originalParams(),
                p.networkMacs(),
                p.networkParams(),
                Arrays.stream(l.singularValues()).boxed().toList(),
                ProfileJob.pcaCurve(l),
                seconds,
                host);
    }
}
