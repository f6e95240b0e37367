package io.rankforge.benchmarks;

import io.rankforge.MetricKind;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.catalog.RankSelectors;
import io.rankforge.search.enc.EncInf;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rank search, end to end (the selector's {@code select}, the metric tables already built, as in
 * the CLI's {@code search_seconds}), for ENC-Map, ENC-Model and the exact optimum.
 *
 * <ul>
 *   <li>{@code vgg16}: the paper's VGG-16 reference data, measured metric, first layer at
 *       round(r_max/2), 25% of the convolutions' MACs — the paper's setting;</li>
 *   <li>{@code synthetic100}: a seeded synthetic 100-layer network, measured metric, every layer
 *       searched, 40% of the MACs.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx2g"})
public class SelectionBenchmark {
    static final String CANDIDATES = "enc-inf-candidates";

    @Param({"vgg16", "resnet56", "synthetic50", "synthetic100", "synthetic200", "synthetic500"})
    public String profile;

    /** A selector's id, or {@code enc-inf-candidates}: ENC-Inf's candidate generation (40 candidates) alone. */
    @Param({"enc-map", "enc-model", "enc-inf-candidates", "optimal"})
    public String method;

    private SelectionProblem problem;
    private RankSelector selector;

    @Setup
    public void setUp() {
        if (profile.equals("vgg16") || profile.equals("resnet56")) {
            NetworkProfile p = profile.equals("vgg16") ? BenchmarkProfiles.vgg16() : BenchmarkProfiles.resnet56();
            problem = SelectionProblem.builder(p)
                    .metric(MetricKind.MEASURED)
                    .firstLayer(FirstLayerRule.HALF)
                    .targetFlops(profile.equals("vgg16") ? 0.25 : 0.5)
                    .build();
        } else if (profile.startsWith("synthetic")) {
            NetworkProfile p =
                    BenchmarkProfiles.synthetic(Integer.parseInt(profile.substring("synthetic".length())), 7);
            problem = SelectionProblem.builder(p)
                    .metric(MetricKind.MEASURED)
                    .firstLayer(FirstLayerRule.SEARCH)
                    .targetFlops(0.4)
                    .build();
        } else {
            throw new IllegalArgumentException("unknown profile " + profile + ": use vgg16, resnet56 or syntheticN");
        }
        problem.tables();
        if (method.equals(CANDIDATES)) {
            selector = null;
            System.err.printf("%n%s %s: %d candidates%n", profile, method, select().size());
            return;
        }
        selector = RankSelectors.byId(method);
        Selection s = selector.select(problem);
        System.err.printf(
                "%n%s %s: flops %.5f, %s %.6f%n",
                profile, method, s.flopsRatio(), s.metric().id(), s.metricValue());
    }

    @Benchmark
    public List<?> select() {
        return selector == null
                ? EncInf.candidates(problem, EncInf.DEFAULT_CANDIDATES)
                : List.of(selector.select(problem));
    }
}
