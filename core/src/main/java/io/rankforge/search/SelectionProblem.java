package io.rankforge.search;

import io.rankforge.AccuracyOracle;
import io.rankforge.MetricKind;
import io.rankforge.RankConfiguration;
import io.rankforge.metric.MetricTables;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
    private final Map<String, String> options;

    private final List<LayerProfile> compressed;
    private final int[] lo, hi;
    private final int fixedIndex;
    private final double baseMacs, baseParams;
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
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));

        if (targetFlops.isEmpty() && targetParams.isEmpty()) {
            throw new SelectionProblemException(
                    "targetFlops", "no budget given: set targetFlops and/or targetParams (fractions in (0, 1])");
        }
        targetFlops.ifPresent(f -> checkFraction("targetFlops", f));
        targetParams.ifPresent(p -> checkFraction("targetParams", p));
        if (!(minRankFraction > 0 && minRankFraction <= 1)) {
            throw new SelectionProblemException(
                    "minRankFraction", "minRankFraction must be in (0, 1], got " + minRankFraction);
        }
        try {
            this.exclude =
                    b.excludePattern == null || b.excludePattern.isEmpty() ? null : Pattern.compile(b.excludePattern);
        } catch (PatternSyntaxException e) {
            throw new SelectionProblemException(
                    "excludePattern",
                    "excludePattern '" + b.excludePattern + "' is not a valid regular expression: "
                            + e.getDescription());
        }

        List<LayerProfile> kept = new ArrayList<>();
        for (LayerProfile l : profile.layers()) {
            if (exclude == null || !exclude.matcher(l.name()).matches()) {
                kept.add(l);
            }
        }
        if (kept.isEmpty()) {
            throw new SelectionProblemException(
                    "excludePattern",
                    "excludePattern '" + b.excludePattern + "' excludes every layer of " + profile.source()
                            + ": nothing left to compress");
        }
        this.compressed = List.copyOf(kept);
        int m = compressed.size();
        lo = new int[m];
        hi = new int[m];
        double bm = 0, bp = 0;
        for (int j = 0; j < m; j++) {
            LayerProfile l = compressed.get(j);
            lo[j] = (int) Math.max(1, Math.min(l.rMax(), Math.round(l.rMax() * minRankFraction)));
            hi[j] = l.rMax();
            bm += l.originalMacs();
            bp += l.originalParams();
        }
        baseMacs = bm;
        baseParams = bp;
        // the rule applies to the network's first layer, and only when that layer is compressed
        boolean firstCompressed =
                compressed.get(0).name().equals(profile.layer(0).name());
        if (firstLayer != FirstLayerRule.SEARCH && firstCompressed) {
            fixedIndex = 0;
            lo[0] = hi[0] = firstLayer.fixedRank(compressed.get(0).rMax());
        } else {
            fixedIndex = -1;
        }

        for (LayerProfile l : compressed) {
            if (metric.needsSpectrum() && !l.hasSpectrum()) {
                throw new SelectionProblemException(
                        "metric",
                        "metric " + metric.id() + " needs singular values, but layer " + l.name() + " of "
                                + profile.source()
                                + " has none: use the measured metric, or a profile with spectra "
                                + "(eigenvalue.conf, or a profile computed from the model)");
            }
            if (metric.needsSensitivity() && !l.hasSensitivity()) {
                throw new SelectionProblemException(
                        "metric",
                        "metric " + metric.id() + " needs measured sensitivity, but layer "
                                + l.name() + " of " + profile.source()
                                + " has none: use the pca metric, or a profile with measured sensitivity");
            }
        }
        if (targetFlops.isPresent() && minMacs() > flopsBudget() * (1 + 1e-12)) {
            throw new InfeasibleBudgetException(String.format(
                    java.util.Locale.ROOT,
                    "targetFlops %s is below the cheapest configuration (%.4f of the compressed layers' "
                            + "MACs, every layer at its rank floor): raise targetFlops or lower minRankFraction",
                    fmt(targetFlops.getAsDouble()),
                    minMacs() / baseMacs));
        }
        if (targetParams.isPresent() && minParams() > paramsBudget() * (1 + 1e-12)) {
            throw new InfeasibleBudgetException(String.format(
                    java.util.Locale.ROOT,
                    "targetParams %s is below the cheapest configuration (%.4f of the compressed layers' "
                            + "parameters, every layer at its rank floor): raise targetParams or lower "
                            + "minRankFraction",
                    fmt(targetParams.getAsDouble()),
                    minParams() / baseParams));
        }
    }

    private static void checkFraction(String field, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new SelectionProblemException(
                    field,
                    field + " must be a fraction in (0, 1] of the compressible layers' original cost, got " + fmt(v));
        }
    }

    private static String fmt(double v) {
        return Double.toString(v);
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
        b.options.putAll(options);
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
        return options;
    }

    public double option(String key, double defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new SelectionProblemException(key, "option " + key + " must be a number, got '" + v + "'");
        }
    }

    public int option(String key, int defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SelectionProblemException(key, "option " + key + " must be an integer, got '" + v + "'");
        }
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

    public double macsPerRank(int j) {
        return compressed.get(j).macsPerRank();
    }

    public double paramsPerRank(int j) {
        return compressed.get(j).paramsPerRank();
    }

    /** MACs of the compressed layers before compression (C_orig, the base of --target-flops). */
    public double baseMacs() {
        return baseMacs;
    }

    /** Parameters of the compressed layers before compression (the base of --target-params). */
    public double baseParams() {
        return baseParams;
    }

    /** target FLOPs × base MACs; +∞ when there is no FLOPs target. */
    public double flopsBudget() {
        return targetFlops.isPresent() ? targetFlops.getAsDouble() * baseMacs : Double.POSITIVE_INFINITY;
    }

    /** target params × base parameters; +∞ when there is no params target. */
    public double paramsBudget() {
        return targetParams.isPresent() ? targetParams.getAsDouble() * baseParams : Double.POSITIVE_INFINITY;
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
        double s = 0;
        for (int j = 0; j < ranks.length; j++) {
            s += compressed.get(j).macsPerRank() * ranks[j];
        }
        return s;
    }

    /** Parameters of the compressed layers' factors at these ranks (rank-dependent weights only). */
    public double params(int[] ranks) {
        double s = 0;
        for (int j = 0; j < ranks.length; j++) {
            s += compressed.get(j).paramsPerRank() * ranks[j];
        }
        return s;
    }

    /** MACs at these ranks over the compressed layers' original MACs. */
    public double flopsRatio(int[] ranks) {
        return macs(ranks) / baseMacs;
    }

    /** Parameters at these ranks over the compressed layers' original parameters. */
    public double paramsRatio(int[] ranks) {
        return params(ranks) / baseParams;
    }

    /**
     * MACs of the whole network with these ranks over its original MACs (layers outside the problem
     * unchanged), or NaN when the profile does not know the network's totals.
     */
    public double networkFlopsRatio(int[] ranks) {
        if (!profile.hasNetworkTotals()) {
            return Double.NaN;
        }
        return (profile.networkMacs() - baseMacs + macs(ranks)) / profile.networkMacs();
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
