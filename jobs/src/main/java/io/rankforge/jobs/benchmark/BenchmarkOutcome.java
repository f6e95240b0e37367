package io.rankforge.jobs.benchmark;

import java.io.Serializable;

/**
 * What one compression task measured (NaN where not measured). Ratios count the compressible layers
 * ({@code flopsRatio}, {@code paramsRatio}) and the whole network ({@code network*}); accuracies are on the
 * benchmark's test images; latency is the median of the timed batch-1 forward passes.
 */
public record BenchmarkOutcome(
        BenchmarkTask task,
        boolean ok,
        String error,
        double flopsRatio,
        double paramsRatio,
        double networkFlopsRatio,
        double networkParamsRatio,
        double accuracyOriginal,
        double accuracy,
        double accuracyFinetuned,
        double latencyOriginalMs,
        double latencyMs,
        double seconds,
        long finishedAt)
        implements Serializable {
    static BenchmarkOutcome failed(BenchmarkTask t, Throwable e, double seconds) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        return new BenchmarkOutcome(
                t,
                false,
                error,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                seconds,
                System.currentTimeMillis());
    }
}
