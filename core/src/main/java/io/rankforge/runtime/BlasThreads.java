package io.rankforge.runtime;

import io.rankforge.UserInputException;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OpenBLAS's thread count: one while networks run, the full count while linear algebra (LAPACK's SVD) runs.
 *
 * <p>Why: ND4J's OpenBLAS has a pool of worker threads of its own, next to libnd4j's OpenMP pool that oneDNN runs
 * on, and an idle OpenBLAS worker waits by calling {@code sched_yield} in a loop. DL4J's dense layers call OpenBLAS's
 * sgemm between oneDNN's OpenMP regions, so at two threads on a 2-core machine a training step had three busy
 * threads for two cores: the training thread waited for a core 13-19% of the time. With OpenBLAS on one thread a
 * vgg-mini step at two threads took 25.6 ms against 43.5 ms, lenet5 29.4 against 51.2 (steady state; one thread
 * altogether: 31.9 and 40.0; docs/native.md, "Threads", benchmarks/blas-threads). The zoo's networks' matrix products
 * are small, and a second OpenBLAS thread gains them little; an SVD of a large layer does gain from it, so {@link
 * #forLinearAlgebra} gives the threads back for its duration.
 *
 * <p>The thread count changes which partial sums OpenBLAS adds in which order, so a network's numbers depend on it
 * (ten vgg-mini training steps at two OpenMP threads ended with parameters up to 3.3e-5 apart); with this policy
 * they no longer depend on how many threads OpenBLAS had. {@code RANKFORGE_NETWORK_BLAS_THREADS=omp} (or
 * {@code -Drankforge.network-blas-threads=omp}) leaves OpenBLAS at the full count for networks too, as ND4J sets it;
 * the default is {@code 1}. The choice is recorded as {@link #label()}.
 *
 * <p>The count is one per process (OpenBLAS has one pool); the methods are synchronized, and a linear-algebra scope
 * that is open while another thread runs a network gives that network the full count for a while, which changes
 * its speed, not its correctness.
 */
public final class BlasThreads {
    /** System property that chooses OpenBLAS's threads while networks run ({@code 1} or {@code omp}). */
    public static final String PROPERTY = "rankforge.network-blas-threads";
    /** Environment variable with the same meaning; the system property wins over it. */
    public static final String ENVIRONMENT = "RANKFORGE_NETWORK_BLAS_THREADS";

    /** OpenBLAS's threads for linear algebra: ND4J's setting when first asked, or what a Spark task's cap set. */
    private static int full = -1;
    /** Whether a network has been prepared to run in this process (and the policy is on). */
    private static boolean networks;
    /** Linear-algebra scopes open now. */
    private static int open;

    private BlasThreads() {}

    /** {@code 1} or {@code omp}: OpenBLAS's threads while networks run in this process. */
    public static String label() {
        return single() ? "1" : "omp";
    }

    /**
     * Puts OpenBLAS on one thread for the networks this process runs, unless a linear-algebra scope is open (then
     * when the last one closes). Idempotent; {@link TrainingKernels#install} calls it for every network it prepares.
     */
    public static synchronized void forNetworks() {
        if (single()) {
            networks = true;
            apply();
        }
    }

    /**
     * Back to ND4J's behaviour: OpenBLAS at the full count for networks as well, until the next {@link #forNetworks}
     * (benchmarks that run DL4J as it comes call this).
     */
    public static synchronized void asNd4jSetsIt() {
        networks = false;
        apply();
    }

    /** Gives OpenBLAS its full thread count until the returned scope is closed (scopes nest and may overlap). */
    public static synchronized Scope forLinearAlgebra() {
        open++;
        apply();
        return new Scope();
    }

    /** Sets the full count (a Spark task's cores), applied now or when the next linear-algebra scope opens. */
    public static synchronized void setFull(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        full = threads;
        apply();
    }

    /** The full count: what linear algebra gets ({@link #setFull}, or ND4J's setting when first asked). */
    public static synchronized int full() {
        if (full < 0) {
            full = Nd4j.factory().blas().getMaxThreads();
        }
        return full;
    }

    /** OpenBLAS's thread count now. */
    public static int current() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    private static void apply() {
        int want = networks && open == 0 ? 1 : full();
        if (current() != want) {
            Nd4j.factory().blas().setMaxThreads(want);
        }
    }

    private static synchronized void close(Scope scope) {
        if (!scope.closed) {
            scope.closed = true;
            open--;
            apply();
        }
    }

    private static boolean single() {
        String v = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (v == null || v.isBlank() || v.trim().equals("1")) {
            return true;
        }
        if (v.trim().toLowerCase(Locale.ROOT).equals("omp")) {
            return false;
        }
        throw new UserInputException(ENVIRONMENT + "/" + PROPERTY + " is '" + v + "'; use 1 or omp");
    }

    /** An open linear-algebra scope; closing it twice is harmless. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {}

        @Override
        public void close() {
            BlasThreads.close(this);
        }
    }
}
