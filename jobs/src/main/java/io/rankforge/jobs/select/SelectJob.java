package io.rankforge.jobs.select;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.profile.StoredProfiles;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.JobResult;
import io.rankforge.jobs.run.MetricValues;
import io.rankforge.jobs.run.ModelInput;
import io.rankforge.jobs.run.Problems;
import io.rankforge.jobs.run.TrialId;
import io.rankforge.jobs.store.NamedRows;
import io.rankforge.jobs.store.RunRecord;
import io.rankforge.jobs.store.Tables;
import io.rankforge.jobs.sweep.SweepPlan;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.InfeasibleBudgetException;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.search.enc.EncInf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code select}: every configured method at every configured budget for every model, searched on the
 * driver from the stored profiles (milliseconds each), except ENC-Inf's candidate evaluations, which
 * run as Spark tasks through a {@link SparkAccuracyOracle}. Writes {@code selections} (one row per
 * model, method and budget) and {@code candidates} (ENC-Inf's evaluated candidates).
 */
public final class SelectJob {
    public static final List<String> METRIC_COLUMNS = List.of("pca", "measured", "combined", "frobenius", "nuclear");

    public static final StructType SCHEMA = schema();

    public static final StructType CANDIDATES_SCHEMA = new StructType()
            .add("model", DataTypes.StringType, false)
            .add("model_digest", DataTypes.StringType, false)
            .add("budget", DataTypes.DoubleType, false)
            .add("candidate", DataTypes.IntegerType, false)
            .add("layers", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("ranks", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("flops_ratio", DataTypes.DoubleType, false)
            .add("metric_value", DataTypes.DoubleType, false)
            .add("heldout_accuracy", DataTypes.DoubleType, false)
            .add("chosen", DataTypes.BooleanType, false);

    private SelectJob() {}

    private static StructType schema() {
        StructType s = new StructType()
                .add("model", DataTypes.StringType, false)
                .add("model_digest", DataTypes.StringType, false)
                .add("method", DataTypes.StringType, false)
                .add("metric", DataTypes.StringType, false)
                .add("budget", DataTypes.DoubleType, false)
                .add("layers", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("ranks", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add("ranks_json", DataTypes.StringType, false)
                .add("flops_ratio", DataTypes.DoubleType, true)
                .add("params_ratio", DataTypes.DoubleType, true)
                .add("network_flops_ratio", DataTypes.DoubleType, true);
        for (String m : METRIC_COLUMNS) {
            s = s.add("metric_" + m, DataTypes.DoubleType, true);
        }
        return s.add("status", DataTypes.StringType, false)
                .add("error", DataTypes.StringType, true)
                .add("search_seconds", DataTypes.DoubleType, true)
                .add("heldout_accuracy", DataTypes.DoubleType, true)
                .add("candidates", DataTypes.IntegerType, true)
                .add("trial_id", DataTypes.StringType, true);
    }

    /**
     * @param selections picks made; @param failed (model, method, budget) that found nothing (stored with their
     * error)
     */
    public record Result(
            int models, int selections, int failed, int candidatesEvaluated, double seconds, List<ObjectNode> picks)
            implements JobResult {
        @Override
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("job", "select");
            o.put("models", models);
            o.put("selections", selections);
            o.put("failed", failed);
            o.put("candidates_evaluated", candidatesEvaluated);
            o.put("seconds", seconds);
            ArrayNode a = o.putArray("picks");
            picks.forEach(a::add);
            return o;
        }
    }

    /** Fails (before any task) when a configured method is not available in this build. */
    public static void checkMethods(JobConfig c) {
        for (String m : c.select().methods()) {
            if (!RankSelectors.ids().contains(m)) {
                throw c.settings()
                        .invalid(
                                "rankforge.select.methods",
                                "method '" + m + "' is not available; use " + String.join(", ", RankSelectors.ids()));
            }
        }
    }

    /** The job as a value, which the CLI's {@code select} command runs. */
    public static final Job<Result> JOB = Job.of(
            "select",
            "Run every configured method at every budget for every model of an experiment, on Spark (after its "
                    + "profile/sensitivity jobs).",
            SelectJob::run);

    public static Result run(JobContext ctx) {
        long t0 = System.nanoTime();
        JobConfig c = ctx.config();
        checkMethods(c);
        RunRecord record = RunRecord.start("select", c, ctx.spark());
        Map<String, NetworkProfile> profiles =
                StoredProfiles.read(ctx, true, c.select().needsSensitivity());
        // every problem is built (and so checked: budgets reachable, metrics available) before any task
        for (ModelInput m : ctx.models()) {
            for (double b : c.select().budgets()) {
                Problems.of(c, profiles.get(m.digest()), m.digest(), "enc-map", b, null);
            }
        }
        boolean hasInf = c.select().methods().contains(EncInf.ID);
        int infTasks = hasInf
                ? ctx.models().size() * c.select().budgets().size() * c.select().encInfCandidates()
                : 0;
        ctx.progress().phase("select", infTasks);
        List<Row> rows = new ArrayList<>(), candidates = new ArrayList<>();
        List<ObjectNode> picks = new ArrayList<>();
        int evaluated = 0, failed = 0;
        for (ModelInput m : ctx.models()) {
            NetworkProfile profile = profiles.get(m.digest());
            SparkAccuracyOracle oracle = hasInf
                    ? new SparkAccuracyOracle(ctx.jsc(), ctx.broadcast(m), ctx.measureBlob(), ctx.calibrationBlob())
                    : null;
            for (double budget : c.select().budgets()) {
                for (String method : c.select().methods()) {
                    RankSelector selector = RankSelectors.byId(method);
                    SelectionProblem p = Problems.of(c, profile, m.digest(), method, budget, oracle);
                    if (oracle != null) {
                        oracle.clear();
                    }
                    Outcome outcome = search(selector, p);
                    if (outcome instanceof Infeasible infeasible) {
                        // a method that finds nothing at this budget (e.g. ENC-Model's band is empty on a
                        // tiny network) is a result, not a reason to lose the other methods' picks; any other
                        // exception of a selector is a defect or bad input and fails the job
                        failed++;
                        String error = infeasible.error();
                        ctx.progress()
                                .note("model " + m.name() + ", " + method + " at " + budget + " failed: " + error);
                        rows.add(failedRow(m, p, method, budget, error));
                        ObjectNode f = Json.object();
                        f.put("model", m.name());
                        f.put("method", method);
                        f.put("budget", budget);
                        f.put("error", error);
                        picks.add(f);
                        continue;
                    }
                    Selection s = ((Picked) outcome).selection();
                    int[] ranks = p.ranksOf(s.configuration());
                    Double heldOut = null;
                    Integer nCand = null;
                    if (method.equals(EncInf.ID) && oracle != null) {
                        var measured = oracle.measured();
                        nCand = measured.size();
                        evaluated += measured.size();
                        SelectionDiagnostics.EncInf inf = (SelectionDiagnostics.EncInf) s.diagnostics();
                        heldOut = inf.chosenAccuracy();
                        double[] values = inf.candidateMetricValues();
                        for (int i = 0; i < measured.size(); i++) {
                            int[] cr = p.ranksOf(measured.get(i).getKey());
                            boolean isChosen = Arrays.equals(cr, ranks)
                                    && Double.valueOf(measured.get(i).getValue())
                                            .equals(heldOut);
                            candidates.add(candidateRow(
                                    m.name(),
                                    m.digest(),
                                    budget,
                                    i,
                                    p,
                                    cr,
                                    i < values.length ? values[i] : Double.NaN,
                                    measured.get(i).getValue(),
                                    isChosen));
                        }
                    }
                    String trialId = TrialId.of(
                            m.digest(),
                            s.configuration(),
                            SweepPlan.measurement(c, SweepPlan.fineTuneOfPick(c)),
                            c.experiment().seed());
                    rows.add(row(m, p, s, ranks, budget, heldOut, nCand, trialId));
                    picks.add(pickJson(m, s, budget));
                }
            }
        }
        Result result = new Result(
                ctx.models().size(), rows.size() - failed, failed, evaluated, (System.nanoTime() - t0) / 1e9, picks);
        Tables.replace(ctx.spark(), ctx.store(), Tables.SELECTIONS, SCHEMA, rows, record, result.toJson());
        Tables.replace(ctx.spark(), ctx.store(), Tables.CANDIDATES, CANDIDATES_SCHEMA, candidates, record, null);
        ctx.progress()
                .note("selections: " + rows.size() + " picks -> " + ctx.store().table(Tables.SELECTIONS));
        return result;
    }

    /** What one selector did on one problem: its pick, or the documented "no feasible selection" outcome. */
    sealed interface Outcome permits Picked, Infeasible {}

    record Picked(Selection selection) implements Outcome {}

    /** No configuration the method may pick fits the budget ({@link InfeasibleBudgetException}); why. */
    record Infeasible(String error) implements Outcome {}

    /**
     * Runs one selector. Only {@link InfeasibleBudgetException} becomes an {@link Infeasible} outcome (stored as a
     * "failed" row); every other exception (a malformed problem, a defect) propagates and fails the job.
     */
    static Outcome search(RankSelector selector, SelectionProblem p) {
        try {
            return new Picked(selector.select(p));
        } catch (InfeasibleBudgetException e) {
            return new Infeasible(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static Row row(
            ModelInput m,
            SelectionProblem p,
            Selection s,
            int[] ranks,
            double budget,
            Double heldOut,
            Integer nCand,
            String trialId) {
        return row(m.name(), m.digest(), p, s, ranks, budget, heldOut, nCand, trialId);
    }

    /** The row of a pick; every field set by name. */
    static Row row(
            String model,
            String digest,
            SelectionProblem p,
            Selection s,
            int[] ranks,
            double budget,
            Double heldOut,
            Integer nCand,
            String trialId) {
        Map<String, Double> metrics = MetricValues.of(p.tables(), ranks);
        NamedRows.Builder b = NamedRows.builder(SCHEMA)
                .set("model", model)
                .set("model_digest", digest)
                .set("method", s.method())
                .set("metric", s.metric().id())
                .set("budget", budget)
                .set("layers", p.layerNames())
                .set("ranks", boxed(ranks))
                .set("ranks_json", Json.line(s.configuration().ranks()))
                .set("flops_ratio", s.flopsRatio())
                .set("params_ratio", s.paramsRatio())
                .set("network_flops_ratio", Double.isFinite(s.networkFlopsRatio()) ? s.networkFlopsRatio() : null);
        for (String k : METRIC_COLUMNS) {
            b.set("metric_" + k, metrics.get(k));
        }
        return b.set("status", "ok")
                .set("error", null)
                .set("search_seconds", s.searchSeconds())
                .set("heldout_accuracy", heldOut)
                .set("candidates", nCand)
                .set("trial_id", trialId)
                .build();
    }

    /** A (model, method, budget) whose search found no feasible selection: no ranks, no costs, the error. */
    static Row failedRow(ModelInput m, SelectionProblem p, String method, double budget, String error) {
        return failedRow(m.name(), m.digest(), p, method, budget, error);
    }

    static Row failedRow(String model, String digest, SelectionProblem p, String method, double budget, String error) {
        NamedRows.Builder b = NamedRows.builder(SCHEMA)
                .set("model", model)
                .set("model_digest", digest)
                .set("method", method)
                .set("metric", p.metric().id())
                .set("budget", budget)
                .set("layers", List.of())
                .set("ranks", List.of())
                .set("ranks_json", "{}")
                .set("flops_ratio", null)
                .set("params_ratio", null)
                .set("network_flops_ratio", null);
        for (String k : METRIC_COLUMNS) {
            b.set("metric_" + k, null);
        }
        return b.set("status", "failed")
                .set("error", error)
                .set("search_seconds", null)
                .set("heldout_accuracy", null)
                .set("candidates", null)
                .set("trial_id", null)
                .build();
    }

    /** One of ENC-Inf's evaluated candidates; every field set by name. */
    static Row candidateRow(
            String model,
            String digest,
            double budget,
            int candidate,
            SelectionProblem p,
            int[] ranks,
            double metricValue,
            double heldOutAccuracy,
            boolean chosen) {
        return NamedRows.builder(CANDIDATES_SCHEMA)
                .set("model", model)
                .set("model_digest", digest)
                .set("budget", budget)
                .set("candidate", candidate)
                .set("layers", p.layerNames())
                .set("ranks", boxed(ranks))
                .set("flops_ratio", p.flopsRatio(ranks))
                .set("metric_value", metricValue)
                .set("heldout_accuracy", heldOutAccuracy)
                .set("chosen", chosen)
                .build();
    }

    private static ObjectNode pickJson(ModelInput m, Selection s, double budget) {
        ObjectNode o = Json.object();
        o.put("model", m.name());
        o.put("method", s.method());
        o.put("budget", budget);
        o.put("flops_ratio", s.flopsRatio());
        ObjectNode r = o.putObject("ranks");
        s.configuration().ranks().forEach(r::put);
        return o;
    }

    static List<Integer> boxed(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}
