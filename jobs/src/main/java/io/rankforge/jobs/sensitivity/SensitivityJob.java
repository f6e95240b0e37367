package io.rankforge.jobs.sensitivity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.RankConfiguration;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.eval.Evaluator;
import io.rankforge.io.Json;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.JobResult;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.run.TaskCounter;
import io.rankforge.jobs.spark.TaskThreads;
import io.rankforge.jobs.store.NamedRows;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.model.LayerSpec;
import java.io.Serializable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code sensitivity}: the measured accuracy samples y_m,l(r) of docs/method.md §2 — the held-out
 * accuracy of the network with layer l alone at rank r and every other compressed layer at r_max,
 * over the accuracy with every layer at r_max. One Spark task per (model, layer, sample rank), plus
 * one per model for that all-r_max reference.
 */
public final class SensitivityJob {
    public static final StructType SCHEMA = new StructType()
            .add("model", DataTypes.StringType, false)
            .add("model_digest", DataTypes.StringType, false)
            .add("layer", DataTypes.StringType, false)
            .add("layer_index", DataTypes.IntegerType, false)
            .add("rank", DataTypes.IntegerType, false)
            .add("fraction", DataTypes.DoubleType, false)
            .add("r_max", DataTypes.IntegerType, false)
            .add("accuracy", DataTypes.DoubleType, false)
            .add("base_accuracy", DataTypes.DoubleType, false)
            .add("y_m", DataTypes.DoubleType, false)
            .add("images", DataTypes.IntegerType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("host", DataTypes.StringType, true);

    private SensitivityJob() {}

    /** The job as a value, which the CLI's {@code sensitivity} command runs. */
    public static final Job<Result> JOB = Job.of(
            "sensitivity",
            "Measure each layer's held-out accuracy at sample ranks (y_m) for every model of an experiment, on "
                    + "Spark.",
            SensitivityJob::run);

    public record Result(int models, int samples, double seconds) implements JobResult {
        @Override
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("job", "sensitivity");
            o.put("models", models);
            o.put("samples", samples);
            o.put("seconds", seconds);
            return o;
        }
    }

    /** One measurement: layer at rank (layer "" = the all-r_max reference). */
    record Sample(
            String model,
            String digest,
            String layer,
            int layerIndex,
            int rank,
            double fraction,
            int rMax,
            Map<String, Integer> ranks)
            implements Serializable {}

    record Measured(Sample sample, double accuracy, int images, double seconds, String host) implements Serializable {}

    /** The row of one measured sample, given the model's all-r_max accuracy {@code base}; fields set by name. */
    static Row row(Measured x, double base) {
        Sample s = x.sample();
        return NamedRows.builder(SCHEMA)
                .set("model", s.model())
                .set("model_digest", s.digest())
                .set("layer", s.layer())
                .set("layer_index", s.layerIndex())
                .set("rank", s.rank())
                .set("fraction", s.fraction())
                .set("r_max", s.rMax())
                .set("accuracy", x.accuracy())
                .set("base_accuracy", base)
                .set("y_m", x.accuracy() / base)
                .set("images", x.images())
                .set("seconds", x.seconds())
                .set("host", x.host())
                .build();
    }

    public static Result run(JobContext ctx) {
        long t0 = System.nanoTime();
        RunRecord record = RunRecord.start("sensitivity", ctx.config(), ctx.spark());
        List<Double> fractions = ctx.config().sensitivity().fractions();
        Map<String, Broadcast<ModelBlob>> blobs = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (ModelInput m : ctx.models()) {
            blobs.put(m.digest(), ctx.broadcast(m));
            samples.addAll(samplesOf(m, fractions, ctx.config().profile()::excludes));
        }
        Broadcast<DataBlob> data = ctx.measureBlob();
        Broadcast<DataBlob> calibration = ctx.calibrationBlob();
        ctx.progress().phase("sensitivity", samples.size());
        List<Measured> measured = TaskCounter.compute(
                ctx.jsc(),
                "sensitivity: held-out accuracy",
                () -> ctx.jsc()
                        .parallelize(samples, Math.max(1, samples.size()))
                        .map(s -> measure(s, blobs, data, calibration))
                        .collect());

        Map<String, Double> base = new HashMap<>();
        for (Measured x : measured) {
            if (x.sample().layer().isEmpty()) {
                base.put(x.sample().digest(), x.accuracy());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Measured x : measured) {
            Sample s = x.sample();
            if (s.layer().isEmpty()) {
                continue;
            }
            double b = base.get(s.digest());
            if (!(b > 0)) {
                throw new IllegalStateException("model " + s.model() + " has held-out accuracy " + b
                        + " with every layer at r_max: y_m is undefined; check the model and the dataset");
            }
            rows.add(row(x, b));
        }
        Result result = new Result(ctx.models().size(), rows.size(), (System.nanoTime() - t0) / 1e9);
        Tables.replace(ctx.spark(), ctx.store(), Tables.SENSITIVITY, SCHEMA, rows, record, result.toJson());
        ctx.progress()
                .note("sensitivity: " + rows.size() + " samples -> "
                        + ctx.store().table(Tables.SENSITIVITY));
        return result;
    }

    /** The samples of one model: the reference, then each compressed layer at each distinct sample rank. */
    static List<Sample> samplesOf(ModelInput m, List<Double> fractions, java.util.function.Predicate<String> excluded) {
        DecompositionPlan plan = m.plan();
        Map<String, Integer> rMax = new LinkedHashMap<>();
        for (LayerSpec l : plan.layers()) {
            if (!excluded.test(l.name())) {
                rMax.put(l.name(), plan.scheme(l.name()).rMax(l));
            }
        }
        List<Sample> out = new ArrayList<>();
        out.add(new Sample(m.name(), m.digest(), "", -1, 0, 1.0, 0, rMax));
        int index = 0;
        for (LayerSpec l : plan.layers()) {
            int i = index++;
            if (!rMax.containsKey(l.name())) {
                continue;
            }
            int r = rMax.get(l.name());
            List<Integer> seen = new ArrayList<>();
            for (double f : fractions) {
                int rank = (int) Math.max(1, Math.min(r, Math.round(f * r)));
                if (seen.contains(rank)) {
                    continue;
                }
                seen.add(rank);
                Map<String, Integer> ranks = new LinkedHashMap<>(rMax);
                ranks.put(l.name(), rank);
                out.add(new Sample(m.name(), m.digest(), l.name(), i, rank, f, r, ranks));
            }
        }
        return out;
    }

    static Measured measure(
            Sample s,
            Map<String, Broadcast<ModelBlob>> blobs,
            Broadcast<DataBlob> data,
            Broadcast<DataBlob> calibration)
            throws Exception {
        TaskThreads.forCurrentTask();
        long t0 = System.nanoTime();
        ExecutorCache.CachedModel m = ExecutorCache.model(blobs.get(s.digest()).value());
        var images = ExecutorCache.data(data.value());
        var net = m.compress(RankConfiguration.of(s.ranks()), calibration);
        double acc = Evaluator.evaluate(net, images).accuracy();
        return new Measured(
                s,
                acc,
                images.size(),
                (System.nanoTime() - t0) / 1e9,
                InetAddress.getLocalHost().getHostName());
    }
}
