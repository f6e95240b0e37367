package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.AccuracyOracle;
import io.rankforge.MetricKind;
import io.rankforge.UserInputException;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Json;
import io.rankforge.jobs.select.SelectJob;
import io.rankforge.metric.MetricTables;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.Profiles;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.search.optimal.OptimalSelector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rankforge select}: chooses every compressed layer's rank for a budget with one method and
 * prints the configuration (a table, or with --json one line). The steps are separate methods so that
 * other modes (e.g. a Spark --conf file) can reuse them: {@link #loadProfile()}, {@link #oracle},
 * {@link #problem}, {@link #toJson}, {@link #printTable}.
 */
@Command(
        name = "select",
        mixinStandardHelpOptions = true,
        description = "Select a rank for every compressible layer under a FLOPs and/or params budget (ENC-Map, "
                + "ENC-Model, ENC-Inf, optimal, baselines).")
public class SelectCommand implements Callable<Integer> {

    /** Where the profile comes from: exactly one of --profile / --model. */
    public static final class Source {
        @Option(
                names = "--profile",
                paramLabel = "PATH",
                description = "A profile JSON (rankforge profile --out) or a folder in the ENC reference layout "
                        + "(Net_def.txt, R_list.txt, A_norm.txt, optional eigenvalue.conf).")
        public Path profile;

        @Option(
                names = "--model",
                paramLabel = "FILE",
                description = "A model file; its profile (spectra) is computed first.")
        public Path model;

        @Option(
                names = "--conf",
                paramLabel = "FILE.conf",
                description = "Run every configured method at every budget for every model of an experiment, on "
                        + "Spark (after its profile/sensitivity jobs).")
        public Path conf;
    }

    @picocli.CommandLine.Mixin
    public ConfOptions confOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    public Source source;

    @Option(
            names = "--method",
            paramLabel = "M",
            description = "Rank-selection method: enc-map, enc-model, enc-inf, optimal, uniform, ...")
    public String method;

    @Option(
            names = "--target-flops",
            paramLabel = "F",
            description = "Budget: fraction in (0, 1] of the compressible layers' original MACs.")
    public Double targetFlops;

    @Option(
            names = "--target-params",
            paramLabel = "P",
            description = "Budget: fraction in (0, 1] of the compressible layers' original parameters.")
    public Double targetParams;

    @Option(
            names = "--metric",
            paramLabel = "pca|measured|combined",
            description = "Metric to maximise (also frobenius, nuclear). Default: measured when the profile has "
                    + "sensitivity samples, else pca.")
    public String metric;

    @Option(
            names = "--first-layer",
            paramLabel = "half|max|search",
            defaultValue = "search",
            description =
                    "First layer: round(r_max/2), r_max, or searched like the others (default: ${DEFAULT-VALUE}).")
    public String firstLayer;

    @Option(
            names = "--min-rank-fraction",
            paramLabel = "X",
            defaultValue = "0.1",
            description = "Rank floor as a fraction of r_max (default: ${DEFAULT-VALUE}).")
    public double minRankFraction;

    @Option(
            names = "--exclude-pattern",
            paramLabel = "REGEX",
            description = "Layers whose whole name matches stay uncompressed and out of the budget.")
    public String excludePattern;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "Seed of randomised methods (default: ${DEFAULT-VALUE}).")
    public long seed;

    @Option(
            names = "--option",
            paramLabel = "KEY=VALUE",
            description = "Method setting, repeatable (e.g. enc-model.density=0.2, enc-inf.candidates=20).")
    public Map<String, String> options = new LinkedHashMap<>();

    @Option(
            names = "--pareto",
            paramLabel = "STEP",
            description = "With --method optimal: the exact optimum for every FLOPs fraction STEP, 2·STEP, ..., 1 "
                    + "(over the compressible layers) instead of one budget; --target-flops is then not needed.")
    public Double paretoStep;

    @Option(names = "--json", description = "Print one JSON line (the last line of stdout) instead of a table.")
    public boolean json;

    @picocli.CommandLine.Mixin
    public MeasurementOptions measurement;

    private ModelProfiles loaded;

    /** Dataset of a model whose sidecar names none (set by commands that know it, e.g. compress); null for select. */
    String defaultDataset;

    /** The model --model loaded by {@link #loadProfile()} (null before, or with --profile). */
    ModelProfiles modelProfiles() {
        return loaded;
    }

    @Override
    public Integer call() {
        if (source.conf != null) {
            return JobCommands.run(source.conf, confOptions.sets, json, SelectJob.JOB);
        }
        if (method == null) {
            throw new io.rankforge.UserInputException(
                    "--method M is required with --profile or --model (e.g. --method enc-map)");
        }
        NetworkProfile profile = loadProfile();
        RankSelector selector = RankSelectors.byId(method);
        if (paretoStep != null) {
            return pareto(profile, selector);
        }
        SelectionProblem problem = problem(profile, oracle(profile));
        Selection s = selector.select(problem);
        if (json) {
            JsonOut.print(toJson(problem, s));
        } else {
            printTable(System.out, problem, s);
        }
        return 0;
    }

    /** --pareto: the Pareto front of the optimal method on a grid of FLOPs fractions. */
    private int pareto(NetworkProfile profile, RankSelector selector) {
        if (!"optimal".equals(selector.id())) {
            throw new UserInputException("--pareto needs --method optimal (got --method " + method + ")");
        }
        if (!(paretoStep > 0 && paretoStep <= 1)) {
            throw new UserInputException("--pareto STEP must be in (0, 1], got " + paretoStep);
        }
        if (targetFlops == null) {
            targetFlops = 1.0; // the front ignores the single FLOPs target
        }
        // the grid is allocated and solved point by point: its size is bounded before anything is built
        long maxPoints = InputLimits.current().gridPoints();
        double gridPoints = Math.floor(1.0 / paretoStep + 1e-9);
        if (gridPoints > maxPoints) {
            throw new UserInputException(String.format(
                    Locale.ROOT,
                    "--pareto %s asks for %,.0f grid points, more than the %,d allowed: give a STEP of at least %s "
                            + "(or raise %sgrid-points)",
                    paretoStep,
                    gridPoints,
                    maxPoints,
                    1.0 / maxPoints,
                    InputLimits.PREFIX));
        }
        SelectionProblem problem = problem(profile, null);
        int n = (int) gridPoints;
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) {
            grid[i] = Math.min(1.0, (i + 1) * paretoStep);
        }
        List<Selection> front = OptimalSelector.front(problem, grid);
        if (json) {
            ObjectNode o = Json.object();
            o.put("method", "optimal");
            o.put("metric", problem.metric().id());
            o.put("pareto_step", paretoStep);
            ArrayNode points = o.putArray("pareto");
            for (Selection s : front) {
                ObjectNode pt = toJson(problem, s);
                pt.put("target_flops", frontTarget(s));
                points.add(pt);
            }
            JsonOut.print(o);
        } else {
            System.out.println(String.format(
                    Locale.ROOT,
                    "%12s %12s %12s %14s",
                    "target_flops",
                    "flops_ratio",
                    "params_ratio",
                    problem.metric().id()));
            for (Selection s : front) {
                System.out.println(String.format(
                        Locale.ROOT,
                        "%12.4f %12.4f %12.4f %14.6g",
                        frontTarget(s),
                        s.flopsRatio(),
                        s.paramsRatio(),
                        s.metrics().getOrDefault(problem.metric().id(), Double.NaN)));
            }
            System.out.println("(FLOPs and params ratios over the compressible layers)");
        }
        return 0;
    }

    /** The FLOPs target of a point of the optimal Pareto front. */
    private static double frontTarget(Selection s) {
        return ((SelectionDiagnostics.Optimal) s.diagnostics()).targetFlops().orElseThrow();
    }

    /**
     * The profile from --profile, or computed from --model: spectra, plus measured sensitivity when the
     * metric needs it (measured, combined).
     */
    protected NetworkProfile loadProfile() {
        if (source.profile != null && measurement.prototxt != null) {
            throw new UserInputException("--prototxt goes with --model FILE.caffemodel");
        }
        if (source.profile != null) {
            return Profiles.load(source.profile);
        }
        loaded = ModelProfiles.load(source.model, measurement.prototxt).withDefaultDataset(defaultDataset);
        boolean measure = metric != null && MetricKind.parse(metric).needsSensitivity();
        return loaded.profile(
                measure ? measurement.data(loaded, "--metric " + metric) : null, ModelProfiles.defaultFractions());
    }

    /**
     * The accuracy oracle for methods that measure (enc-inf): only with a model. It reads the held-out
     * images on first use, so a method that never measures does not need --data-dir.
     */
    protected AccuracyOracle oracle(NetworkProfile profile) {
        if (loaded == null) {
            return null;
        }
        ModelProfiles m = loaded;
        return new AccuracyOracle() {
            private AccuracyOracle inner;

            private synchronized AccuracyOracle inner() {
                if (inner == null) {
                    inner = m.oracle(measurement.data(m, "measuring accuracy (" + method + ")"));
                }
                return inner;
            }

            @Override
            public double accuracy(io.rankforge.RankConfiguration c) {
                return inner().accuracy(c);
            }

            @Override
            public java.util.List<Double> accuracies(java.util.List<io.rankforge.RankConfiguration> cs) {
                return inner().accuracies(cs);
            }
        };
    }

    /** The problem from the options. */
    protected SelectionProblem problem(NetworkProfile profile, AccuracyOracle oracle) {
        MetricKind m = metric != null
                ? MetricKind.parse(metric)
                : (profile.hasSensitivity() ? MetricKind.MEASURED : MetricKind.PCA);
        SelectionProblem.Builder b = SelectionProblem.builder(profile)
                .metric(m)
                .firstLayer(FirstLayerRule.parse(firstLayer))
                .minRankFraction(minRankFraction)
                .excludePattern(excludePattern)
                .seed(seed)
                .oracle(oracle);
        if (targetFlops != null) {
            b.targetFlops(targetFlops);
        }
        if (targetParams != null) {
            b.targetParams(targetParams);
        }
        options.forEach(b::option);
        return b.build();
    }

    /** The --json object: method, metric, target_flops, ranks, ratios, metrics, search_seconds. */
    public static ObjectNode toJson(SelectionProblem p, Selection s) {
        ObjectNode o = Json.object();
        o.put("method", s.method());
        o.put("metric", s.metric().id());
        if (p.targetFlops().isPresent()) {
            o.put("target_flops", p.targetFlops().getAsDouble());
        } else {
            o.putNull("target_flops");
        }
        if (p.targetParams().isPresent()) {
            o.put("target_params", p.targetParams().getAsDouble());
        }
        ObjectNode ranks = o.putObject("ranks");
        s.configuration().ranks().forEach(ranks::put);
        o.put("flops_ratio", s.flopsRatio());
        o.put("params_ratio", s.paramsRatio());
        if (Double.isNaN(s.networkFlopsRatio())) {
            o.putNull("network_flops_ratio");
        } else {
            o.put("network_flops_ratio", s.networkFlopsRatio());
        }
        ObjectNode metrics = o.putObject("metrics");
        s.metrics().forEach(metrics::put);
        o.put("search_seconds", s.searchSeconds());
        return o;
    }

    /** A readable table: layer, rank, r_max, per-layer metric value(s); then the totals. */
    public static void printTable(PrintStream out, SelectionProblem p, Selection s) {
        MetricTables t = p.tables();
        boolean pca = t.available(MetricKind.PCA), meas = t.available(MetricKind.MEASURED);
        int w = Math.max(
                5, p.layerNames().stream().mapToInt(String::length).max().orElse(5));
        StringBuilder h = new StringBuilder(
                String.format(Locale.ROOT, "%-" + w + "s %7s %7s %7s", "layer", "rank", "r_max", "floor"));
        if (meas) {
            h.append(String.format(Locale.ROOT, " %9s", "y_m"));
        }
        if (pca) {
            h.append(String.format(Locale.ROOT, " %9s", "y_p"));
        }
        out.println(h);
        int[] r = p.ranksOf(s.configuration());
        for (int j = 0; j < p.size(); j++) {
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%-" + w + "s %7d %7d %7s",
                    p.layer(j).name(),
                    r[j],
                    p.rMax(j),
                    p.isFixed(j) ? "fixed" : Integer.toString(p.lo(j))));
            if (meas) {
                line.append(String.format(Locale.ROOT, " %9.5f", t.layer(j).value(MetricKind.MEASURED, r[j])));
            }
            if (pca) {
                line.append(String.format(Locale.ROOT, " %9.5f", t.layer(j).value(MetricKind.PCA, r[j])));
            }
            out.println(line);
        }
        for (var l : p.profile().layers()) {
            if (p.layerNames().contains(l.name())) {
                continue;
            }
            out.println(String.format(Locale.ROOT, "%-" + w + "s %7s %7d %7s", l.name(), "-", l.rMax(), "excluded"));
        }
        out.println();
        out.println(String.format(
                Locale.ROOT,
                "method %s, metric %s; FLOPs %.4f, params %.4f of the compressed layers%s",
                s.method(),
                s.metric().id(),
                s.flopsRatio(),
                s.paramsRatio(),
                Double.isNaN(s.networkFlopsRatio())
                        ? ""
                        : String.format(Locale.ROOT, "; FLOPs %.4f of the whole network", s.networkFlopsRatio())));
        StringBuilder m = new StringBuilder("metrics:");
        s.metrics().forEach((k, v) -> m.append(String.format(Locale.ROOT, " %s=%.6g", k, v)));
        out.println(m);
        out.println(String.format(Locale.ROOT, "search %.4f s", s.searchSeconds()));
        out.flush();
    }
}
