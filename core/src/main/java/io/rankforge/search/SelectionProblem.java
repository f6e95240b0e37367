package io.rankforge.search;

import io.rankforge.AccuracyOracle;
import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.metric.MetricTables;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One rank-selection problem: a network profile, the metric to maximise and the budget.
 *
 * <p>The <em>compressed</em> layers are the profile's layers whose names do not (fully) match the
 * exclude pattern, in network order; excluded layers stay uncompressed and are out of the budget.
 * Budgets are fractions of the compressed layers' original cost: target FLOPs × Σ original MACs
 * and/or target params × Σ original parameters. Every search works on the compressed layers by their
 * index j = 0..{@link #size()}−1, each with its rank range [{@link #lo(int)}, {@link #hi(int)}]:
 * [max(1, round(r_max · min-rank-fraction)), r_max], except a first layer fixed by the
 * {@link FirstLayerRule}, whose range is its single fixed rank (its cost is thereby taken off the
 * budget before any search: see {@link #flopsBudgetAfterFixed()}).
 *
 * <p>Its checks at construction are {@code ProblemChecks}, its costs a {@link CostModel} ({@link #cost()}), its
 * method settings {@link MethodOptions} ({@link #methodOptions()}); this class holds the inputs, the compressed
 * layers' rank ranges and the metric tables.
 *
 * <p>Immutable and thread-safe. It is a class rather than a record only so that it can build the
 * metric tables once, lazily ({@link #tables()}).
 */
public final class SelectionProblem {
    public static final double DEFAULT_MIN_RANK_FRACTION = 0.1;

    private final NetworkProfile profile;
    private final MetricKind metric;
    private final OptionalDouble targetFlops;
    private final OptionalDouble targetParams;
    private final FirstLayerRule firstLayer;
    private final double minRankFraction;
    private final Pattern exclude;
    private final long seed;
    private final AccuracyOracle oracle;
    private final MethodOptions options;

    private final List<LayerProfile> compressed;
    private final int[] lo, hi;
    private final int fixedIndex;
    private final CostModel cost;
    private volatile MetricTables tables;

    private SelectionProblem(Builder b) {
        this.profile = Objects.requireNonNull(b.profile, "profile");
        this.metric = Objects.requireNonNull(b.metric, "metric");
        this.targetFlops = b.targetFlops;
        this.targetParams = b.targetParams;
        this.firstLayer = Objects.requireNonNull(b.firstLayer, "firstLayer");
        this.minRankFraction = b.minRankFraction;
        this.seed = b.seed;
        this.oracle = b.oracle;
        this.options = new MethodOptions(b.options);

        ProblemChecks.budgets(targetFlops, targetParams);
        ProblemChecks.minRankFraction(minRankFraction);
        this.exclude = ProblemChecks.excludePattern(b.excludePattern);
        this.compressed = ProblemChecks.compressed(profile, exclude);
        this.cost = new CostModel(profile, compressed);
        int m = compressed.size();
        lo = new int[m];
        hi = new int[m];
        for (int j = 0; j < m; j++) {
            LayerProfile l = compressed.get(j);
            lo[j] = (int) Math.max(1, Math.min(l.rMax(), Math.round(l.rMax() * minRankFraction)));
            hi[j] = l.rMax();
        }
        // the rule applies to the network's first layer, and only when that layer is compressed
        boolean firstCompressed =
                compressed.get(0).name().equals(profile.layer(0).name());
        if (firstLayer != FirstLayerRule.SEARCH && firstCompressed) {
            fixedIndex = 0;
            lo[0] = hi[0] = firstLayer.fixedRank(compressed.get(0).rMax());
        } else {
            fixedIndex = -1;
        }
        ProblemChecks.metricAvailable(metric, compressed, profile.source());
        ProblemChecks.reachable(this);
    }

    public static Builder builder(NetworkProfile profile) {
        return new Builder(profile);
    }

    /** A builder pre-filled with this problem's settings (to vary one of them). */
    public Builder toBuilder() {
        Builder b = new Builder(profile)
                .metric(metric)
                .firstLayer(firstLayer)
                .minRankFraction(minRankFraction)
                .excludePattern(exclude == null ? null : exclude.pattern())
                .seed(seed)
                .oracle(oracle);
        b.targetFlops = targetFlops;
        b.targetParams = targetParams;
        b.options.putAll(options.asMap());
        return b;
    }

    // ---- inputs ----

    public NetworkProfile profile() {
        return profile;
    }

    public MetricKind metric() {
        return metric;
    }

    public OptionalDouble targetFlops() {
        return targetFlops;
    }

    public OptionalDouble targetParams() {
        return targetParams;
    }

    public FirstLayerRule firstLayer() {
        return firstLayer;
    }

    public double minRankFraction() {
        return minRankFraction;
    }

    public Optional<Pattern> exclude() {
        return Optional.ofNullable(exclude);
    }

    public long seed() {
        return seed;
    }

    public Optional<AccuracyOracle> oracle() {
        return Optional.ofNullable(oracle);
    }

    /** Method-specific settings (e.g. "enc-model.delta"), as given; see each method for its keys. */
    public Map<String, String> options() {
        return options.asMap();
    }

    /** The method options, read with a type. */
    public MethodOptions methodOptions() {
        return options;
    }

    public double option(String key, double defaultValue) {
        return options.number(key, defaultValue);
    }

    public int option(String key, int defaultValue) {
        return options.integer(key, defaultValue);
    }

    // ---- compressed layers ----

    /** Number of compressed layers. */
    public int size() {
        return compressed.size();
    }

    /** The compressed layers, in network order. */
    public List<LayerProfile> layers() {
        return compressed;
    }

    public LayerProfile layer(int j) {
        return compressed.get(j);
    }

    public List<String> layerNames() {
        return compressed.stream().map(LayerProfile::name).toList();
    }

    /** Lowest allowed rank of layer j (its rank floor, or its fixed rank). */
    public int lo(int j) {
        return lo[j];
    }

    /** Highest allowed rank of layer j (r_max, or its fixed rank). */
    public int hi(int j) {
        return hi[j];
    }

    /** The rank floor max(1, round(r_max · min-rank-fraction)) of layer j, whatever the first-layer rule. */
    public int floor(int j) {
        return (int) Math.max(
                1,
                Math.min(compressed.get(j).rMax(), Math.round(compressed.get(j).rMax() * minRankFraction)));
    }

    public int rMax(int j) {
        return compressed.get(j).rMax();
    }

    /** Index of the layer fixed by the first-layer rule, or −1. */
    public int fixedIndex() {
        return fixedIndex;
    }

    public boolean isFixed(int j) {
        return j == fixedIndex;
    }

    /** Indices of the layers whose rank is searched (all but a fixed first layer). */
    public int[] searched() {
        int[] s = new int[size() - (fixedIndex >= 0 ? 1 : 0)];
        int k = 0;
        for (int j = 0; j < size(); j++) {
            if (j != fixedIndex) {
                s[k++] = j;
            }
        }
        return s;
    }

    // ---- costs ----

    /** The cost model of the compressed layers (MACs, parameters, ratios at given ranks). */
    public CostModel cost() {
        return cost;
    }

    public double macsPerRank(int j) {
        return cost.macsPerRank(j);
    }

    public double paramsPerRank(int j) {
        return cost.paramsPerRank(j);
    }

    /** MACs of the compressed layers before compression (C_orig, the base of targetFlops). */
    public double baseMacs() {
        return cost.baseMacs();
    }

    /** Parameters of the compressed layers before compression (the base of targetParams). */
    public double baseParams() {
        return cost.baseParams();
    }

    /** target FLOPs × base MACs; +∞ when there is no FLOPs target. */
    public double flopsBudget() {
        return targetFlops.isPresent() ? targetFlops.getAsDouble() * baseMacs() : Double.POSITIVE_INFINITY;
    }

    /** target params × base parameters; +∞ when there is no params target. */
    public double paramsBudget() {
        return targetParams.isPresent() ? targetParams.getAsDouble() * baseParams() : Double.POSITIVE_INFINITY;
    }

    /** MACs left for the searched layers once a fixed first layer is paid for. */
    public double flopsBudgetAfterFixed() {
        return flopsBudget() - (fixedIndex >= 0 ? macsPerRank(fixedIndex) * lo[fixedIndex] : 0);
    }

    /** Parameters left for the searched layers once a fixed first layer is paid for. */
    public double paramsBudgetAfterFixed() {
        return paramsBudget() - (fixedIndex >= 0 ? paramsPerRank(fixedIndex) * lo[fixedIndex] : 0);
    }

    /** MACs of the cheapest allowed configuration (every layer at {@link #lo}). */
    public double minMacs() {
        return macs(lo);
    }

    public double minParams() {
        return params(lo);
    }

    /** The lowest ranks allowed, one per layer (a copy). */
    public int[] loRanks() {
        return lo.clone();
    }

    /** The highest ranks allowed, one per layer (a copy). */
    public int[] hiRanks() {
        return hi.clone();
    }

    /** MACs of the compressed layers at these ranks. */
    public double macs(int[] ranks) {
        return cost.macs(ranks);
    }

    /** Parameters of the compressed layers' factors at these ranks (rank-dependent weights only). */
    public double params(int[] ranks) {
        return cost.params(ranks);
    }

    /** MACs at these ranks over the compressed layers' original MACs. */
    public double flopsRatio(int[] ranks) {
        return cost.flopsRatio(ranks);
    }

    /** Parameters at these ranks over the compressed layers' original parameters. */
    public double paramsRatio(int[] ranks) {
        return cost.paramsRatio(ranks);
    }

    /**
     * MACs of the whole network with these ranks over its original MACs (layers outside the problem
     * unchanged), or NaN when the profile does not know the network's totals.
     */
    public double networkFlopsRatio(int[] ranks) {
        return cost.networkFlopsRatio(ranks);
    }

    /** True when the ranks are in range and within every budget (with a relative tolerance of 1e-9). */
    public boolean feasible(int[] ranks) {
        if (ranks.length != size()) {
            return false;
        }
        for (int j = 0; j < ranks.length; j++) {
            if (ranks[j] < lo[j] || ranks[j] > hi[j]) {
                return false;
            }
        }
        return macs(ranks) <= flopsBudget() * (1 + 1e-9) && params(ranks) <= paramsBudget() * (1 + 1e-9);
    }

    // ---- configurations and metrics ----

    /** The ranks as a configuration of the compressed layers, in network order. */
    public RankConfiguration configuration(int[] ranks) {
        return RankConfiguration.of(layerNames(), ranks);
    }

    /** The ranks of a configuration in this problem's layer order (every compressed layer must be present). */
    public int[] ranksOf(RankConfiguration c) {
        int[] r = new int[size()];
        for (int j = 0; j < size(); j++) {
            r[j] = c.rank(compressed.get(j).name());
        }
        return r;
    }

    /** The per-layer metric tables of the compressed layers, built on first use. */
    public MetricTables tables() {
        MetricTables t = tables;
        if (t == null) {
            synchronized (this) {
                t = tables;
                if (t == null) {
                    tables = t = MetricTables.of(compressed);
                }
            }
        }
        return t;
    }

    /** The problem's metric of a configuration. */
    public double metricValue(int[] ranks) {
        return tables().value(metric, ranks);
    }

    public static final class Builder {
        private final NetworkProfile profile;
        private MetricKind metric = MetricKind.MEASURED;
        private OptionalDouble targetFlops = OptionalDouble.empty();
        private OptionalDouble targetParams = OptionalDouble.empty();
        private FirstLayerRule firstLayer = FirstLayerRule.SEARCH;
        private double minRankFraction = DEFAULT_MIN_RANK_FRACTION;
        private String excludePattern;
        private long seed = 42;
        private AccuracyOracle oracle;
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder(NetworkProfile profile) {
            this.profile = profile;
        }

        public Builder metric(MetricKind m) {
            this.metric = m;
            return this;
        }

        public Builder targetFlops(double f) {
            this.targetFlops = OptionalDouble.of(f);
            return this;
        }

        public Builder targetParams(double p) {
            this.targetParams = OptionalDouble.of(p);
            return this;
        }

        public Builder firstLayer(FirstLayerRule r) {
            this.firstLayer = r;
            return this;
        }

        public Builder minRankFraction(double f) {
            this.minRankFraction = f;
            return this;
        }

        public Builder excludePattern(String regex) {
            this.excludePattern = regex;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder oracle(AccuracyOracle o) {
            this.oracle = o;
            return this;
        }

        public Builder option(String key, String value) {
            this.options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public SelectionProblem build() {
            return new SelectionProblem(this);
        }
    }
}
