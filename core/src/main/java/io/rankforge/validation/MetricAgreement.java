package io.rankforge.validation;

/**
 * How one metric orders the configurations of one stratum against their ground truth (see
 * {@link RankAgreement} for the definitions); the low/high pairs are bootstrap intervals at the
 * stratum statistics' level. Every value is NaN when the stratum has too few samples, and an
 * interval is NaN when the bootstrap could not define it.
 */
public record MetricAgreement(
        String metric,
        int samples,
        double spearman,
        double spearmanLow,
        double spearmanHigh,
        double kendall,
        double kendallLow,
        double kendallHigh,
        double concordance,
        double topKPrecision,
        double regret,
        double regretLow,
        double regretHigh) {

    /** All statistics NaN: what a stratum with too few samples reports. */
    static MetricAgreement undefined(String metric, int samples) {
        double nan = Double.NaN;
        return new MetricAgreement(metric, samples, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan);
    }
}
