package io.rankforge.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The statistics of one iso-cost stratum: for each metric, its agreement with the ground truth
 * ({@link MetricAgreement}), and for pairs of metrics, the paired difference of their Spearman ρ
 * ({@link MetricComparison}), each with a seeded percentile bootstrap interval ({@link Bootstrap}).
 *
 * <p>Seeds. Every bootstrap is seeded by {@link #seedFor}(seed, ids): a 64-bit FNV-1a hash of the
 * metric id (of "A", NUL, "B" for a comparison) in UTF-8, xor-ed into the given seed and passed
 * through the SplitMix64 finaliser. A metric's results therefore depend on the seed and its id only,
 * not on the map's iteration order or on which other metrics are present. The three intervals of one
 * metric (ρ, τ, regret) share its seed, i.e. they are computed on the same resamples.
 *
 * <p>A stratum with fewer than minSamples configurations reports every statistic as NaN and
 * {@link Result#tooFew()} true: its numbers would not mean anything.
 */
public final class StratumStatistics {
    public static final double DEFAULT_TOP_FRACTION = 0.10;
    public static final int DEFAULT_MIN_SAMPLES = 10;

    private final double level;
    private final int resamples;
    private final double topFraction;
    private final int minSamples;
    private final long seed;

    /** An ordered pair of metric ids to compare: Δρ = ρ(metricA) − ρ(metricB). */
    public record MetricPair(String metricA, String metricB) {}

    /**
     * One stratum's statistics: metrics in the map's order, comparisons in the order asked for.
     *
     * @param tooFew true when samples &lt; minSamples (every statistic is then NaN)
     */
    public record Result(
            int samples, boolean tooFew, List<MetricAgreement> metrics, List<MetricComparison> comparisons) {
        public Result {
            metrics = List.copyOf(metrics);
            comparisons = List.copyOf(comparisons);
        }

        /** The agreement of one metric. */
        public MetricAgreement metric(String id) {
            for (MetricAgreement a : metrics) {
                if (a.metric().equals(id)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("no metric '" + id + "' in this stratum");
        }

        /** The comparison of metricA with metricB, in that order. */
        public MetricComparison comparison(String metricA, String metricB) {
            for (MetricComparison c : comparisons) {
                if (c.metricA().equals(metricA) && c.metricB().equals(metricB)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no comparison of '" + metricA + "' with '" + metricB + "'");
        }
    }

    /**
     * @param level confidence level of the intervals, in (0, 1), e.g. 0.95
     * @param resamples bootstrap resamples per interval, ≥ 1
     * @param topFraction the share of configurations counted as "top" by topKPrecision, in (0, 1]
     * @param minSamples the fewest configurations a stratum needs for its statistics, ≥ 1
     * @param seed base seed of every bootstrap
     */
    public StratumStatistics(double level, int resamples, double topFraction, int minSamples, long seed) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new IllegalArgumentException("topFraction must be in (0, 1], got " + topFraction);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1, got " + minSamples);
        }
        this.level = level;
        this.resamples = resamples;
        this.topFraction = topFraction;
        this.minSamples = minSamples;
        this.seed = seed;
    }

    /** With the default top fraction (0.10) and minimum stratum size (10). */
    public StratumStatistics(double level, int resamples, long seed) {
        this(level, resamples, DEFAULT_TOP_FRACTION, DEFAULT_MIN_SAMPLES, seed);
    }

    /** Every metric, and every unordered pair of metrics in the map's order (earlier one as A). */
    public Result compute(double[] y, Map<String, double[]> metrics) {
        List<String> ids = new ArrayList<>(metrics.keySet());
        List<MetricPair> pairs = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                pairs.add(new MetricPair(ids.get(i), ids.get(j)));
            }
        }
        return compute(y, metrics, pairs);
    }

    /**
     * Every metric, and the given comparisons.
     *
     * @param y the ground truth of the stratum's configurations
     * @param metrics metric id → its values on the same configurations, in the same order as y
     * @throws IllegalArgumentException on arrays of another length than y, non-finite values, or a
     *     comparison naming an unknown metric or one metric twice
     */
    public Result compute(double[] y, Map<String, double[]> metrics, List<MetricPair> comparisons) {
        if (y == null) {
            throw new IllegalArgumentException("y must not be null");
        }
        for (Map.Entry<String, double[]> e : metrics.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("metric ids and values must not be null");
            }
            try {
                RankAgreement.check(e.getValue(), y);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("metric '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        for (MetricPair pair : comparisons) {
            if (!metrics.containsKey(pair.metricA()) || !metrics.containsKey(pair.metricB())) {
                throw new IllegalArgumentException("comparison " + pair.metricA() + " vs " + pair.metricB()
                        + " names a metric not given; given: " + metrics.keySet());
            }
            if (pair.metricA().equals(pair.metricB())) {
                throw new IllegalArgumentException("comparison of '" + pair.metricA() + "' with itself");
            }
        }
        int n = y.length;
        boolean tooFew = n < minSamples;
        List<MetricAgreement> agreements = new ArrayList<>();
        for (Map.Entry<String, double[]> e : metrics.entrySet()) {
            agreements.add(tooFew ? MetricAgreement.undefined(e.getKey(), n) : agreement(e.getKey(), e.getValue(), y));
        }
        List<MetricComparison> compared = new ArrayList<>();
        for (MetricPair pair : comparisons) {
            String a = pair.metricA();
            String b = pair.metricB();
            if (tooFew) {
                compared.add(new MetricComparison(a, b, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            double[] xa = metrics.get(a);
            double[] xb = metrics.get(b);
            double delta = RankAgreement.spearman(xa, y) - RankAgreement.spearman(xb, y);
            BootstrapInterval ci =
                    Bootstrap.paired(xa, xb, y, RankAgreement::spearman, resamples, level, seedFor(seed, a, b));
            compared.add(new MetricComparison(a, b, delta, ci.low(), ci.high()));
        }
        return new Result(n, tooFew, agreements, compared);
    }

    private MetricAgreement agreement(String id, double[] x, double[] y) {
        long s = seedFor(seed, id);
        BootstrapInterval rho = Bootstrap.interval(x, y, RankAgreement::spearman, resamples, level, s);
        BootstrapInterval tau = Bootstrap.interval(x, y, RankAgreement::kendallTauB, resamples, level, s);
        BootstrapInterval regret = Bootstrap.interval(x, y, RankAgreement::regret, resamples, level, s);
        return new MetricAgreement(
                id,
                y.length,
                RankAgreement.spearman(x, y),
                rho.low(),
                rho.high(),
                RankAgreement.kendallTauB(x, y),
                tau.low(),
                tau.high(),
                RankAgreement.concordance(x, y),
                RankAgreement.topKPrecision(x, y, topFraction),
                RankAgreement.regret(x, y),
                regret.low(),
                regret.high());
    }

    /**
     * The seed of the bootstrap of one metric (one id) or of one comparison (two ids): SplitMix64's
     * finaliser of seed xor FNV-1a-64 of the ids' UTF-8 bytes, a 0 byte between ids. Stable across
     * runs, JVMs and map orders (String.hashCode would do too, but its 32 bits collide more easily).
     */
    public static long seedFor(long seed, String... ids) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                h *= 0x100000001b3L; // the 0 byte between ids (xor with 0 is a no-op)
            }
            for (byte b : ids[i].getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
        }
        long z = seed ^ h;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public double level() {
        return level;
    }

    public int resamples() {
        return resamples;
    }

    public double topFraction() {
        return topFraction;
    }

    public int minSamples() {
        return minSamples;
    }

    public long seed() {
        return seed;
    }
}
