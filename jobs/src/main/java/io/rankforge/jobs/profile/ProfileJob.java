package io.rankforge.jobs.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.exec.ExecutorCache;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.JobResult;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.run.TaskCounter;
import io.rankforge.jobs.spark.TaskThreads;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.metric.LayerMetrics;
import io.rankforge.model.LayerSpec;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.ProfileJson;
import io.rankforge.spectrum.Scheme;
import io.rankforge.spectrum.SpectrumCalculator;
import java.io.Serializable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * {@code profile}: the singular values and PCA-energy curve of every compressible layer of every
 * model, one Spark task per (model, layer). Writes the {@code profiles} table and, per model, its
 * profile JSON (OUT/profile-json/&lt;model&gt;.json, readable by {@code rankforge select --profile}).
 */
public final class ProfileJob {
    private ProfileJob() {}

    /** The job as a value, which the CLI's {@code profile} command runs. */
    public static final Job<Result> JOB = Job.of(
            "profile",
            "Profile every model of an experiment on Spark: the singular values and PCA-energy curve of every "
                    + "compressible layer, one task per (model, layer).",
            ProfileJob::run);

    /** What the job did. */
    public record Result(int models, int layers, double seconds) implements JobResult {
        @Override
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("job", "profile");
            o.put("models", models);
            o.put("layers", layers);
            o.put("seconds", seconds);
            return o;
        }
    }

    /** One task: the spectrum of one layer of one model. */
    record LayerTask(String digest, String layer, int index) implements Serializable {}

    /** A task's answer. */
    record LayerSpectrumRow(
            String digest, String layer, int index, double[] singularValues, double seconds, String host)
            implements Serializable {}

    public static Result run(JobContext ctx) {
        long t0 = System.nanoTime();
        RunRecord record = RunRecord.start("profile", ctx.config(), ctx.spark());
        List<ModelInput> models = ctx.models();
        Map<String, Broadcast<ModelBlob>> blobs = new HashMap<>();
        List<LayerTask> tasks = new ArrayList<>();
        for (ModelInput m : models) {
            blobs.put(m.digest(), ctx.broadcast(m));
            List<LayerSpec> layers = m.plan().layers();
            for (int i = 0; i < layers.size(); i++) {
                tasks.add(new LayerTask(m.digest(), layers.get(i).name(), i));
            }
        }
        ctx.progress().phase("profile", tasks.size());
        List<LayerSpectrumRow> results = TaskCounter.compute(
                ctx.jsc(),
                "profile: spectra",
                () -> ctx.jsc()
                        .parallelize(tasks, Math.max(1, tasks.size()))
                        .map(t -> spectrum(t, blobs))
                        .collect());

        Map<String, Map<Integer, LayerSpectrumRow>> byModel = new HashMap<>();
        for (LayerSpectrumRow r : results) {
            byModel.computeIfAbsent(r.digest(), k -> new TreeMap<>()).put(r.index(), r);
        }
        List<Row> rows = new ArrayList<>();
        for (ModelInput m : models) {
            NetworkProfile p = profileOf(m, byModel.get(m.digest()));
            for (int i = 0; i < p.size(); i++) {
                rows.add(ProfileRows.row(
                        m,
                        p,
                        i,
                        byModel.get(m.digest()).get(i).seconds(),
                        byModel.get(m.digest()).get(i).host()));
            }
            ctx.store()
                    .writeText(
                            ctx.store().path("profile-json/" + m.name() + ".json"),
                            Json.pretty(ProfileJson.toJson(p, record.toJson(null))));
        }
        Result result = new Result(models.size(), rows.size(), (System.nanoTime() - t0) / 1e9);
        Tables.replace(ctx.spark(), ctx.store(), Tables.PROFILES, ProfileRows.SCHEMA, rows, record, result.toJson());
        ctx.progress()
                .note("profiles: " + rows.size() + " layers of " + models.size() + " model(s) -> "
                        + ctx.store().table(Tables.PROFILES));
        return result;
    }

    /** The network profile of a model from its layers' spectra (no sensitivity). */
    static NetworkProfile profileOf(ModelInput m, Map<Integer, LayerSpectrumRow> spectra) {
        List<LayerProfile> layers = new ArrayList<>();
        List<LayerSpec> specs = m.plan().layers();
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec l = specs.get(i);
            Scheme s = m.plan().scheme(l.name());
            layers.add(new LayerProfile(
                    l.name(),
                    s,
                    s.fullRank(l),
                    s.rMax(l),
                    s.macsPerRank(l),
                    s.paramsPerRank(l),
                    l.macs(),
                    l.params(),
                    spectra.get(i).singularValues(),
                    new TreeMap<>()));
        }
        var d = m.plan().description();
        return new NetworkProfile(m.uri(), layers, d.networkMacs(), d.networkParams());
    }

    static LayerSpectrumRow spectrum(LayerTask t, Map<String, Broadcast<ModelBlob>> blobs) throws Exception {
        TaskThreads.forCurrentTask();
        long t0 = System.nanoTime();
        ExecutorCache.CachedModel m = ExecutorCache.model(blobs.get(t.digest()).value());
        var plan = m.decomposer().plan();
        LayerSpec spec = plan.layer(t.layer());
        double[] sv = SpectrumCalculator.values(m.loaded().model(), spec, plan.scheme(t.layer()))
                .singularValues();
        return new LayerSpectrumRow(
                t.digest(),
                t.layer(),
                t.index(),
                sv,
                (System.nanoTime() - t0) / 1e9,
                InetAddress.getLocalHost().getHostName());
    }

    /** y_p at ranks 0..r_max, what the table stores next to the spectrum. */
    static List<Double> pcaCurve(LayerProfile l) {
        return Arrays.stream(LayerMetrics.pcaEnergy(l.singularValues(), l.rMax()))
                .boxed()
                .toList();
    }
}
