package io.rankforge.runtime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs a training kernel's Java loop over independent items (a batch norm's channels, an activation's chunks) on as
 * many threads as the calling thread gives libnd4j's OpenMP ops, so that a network fitted at two threads runs its
 * Java kernels at two threads too, as it runs its convolutions.
 *
 * <p>Each item is computed by exactly the same arithmetic whichever thread runs it, so the results do not depend on
 * the thread count: a kernel gives the same bits at one thread and at two. The split is into contiguous ranges, one
 * per thread; the calling thread runs the first range itself and waits for the others. Work below {@link
 * #MIN_ELEMENTS} stays on the calling thread, where handing it over would cost more than it saves. The thread count
 * is OpenMP's for the calling thread (what OMP_NUM_THREADS, {@code --threads} or a Spark task's cap set), so a
 * Spark task capped at one thread never leaves its thread. {@code RANKFORGE_KERNEL_THREADS=1} keeps every kernel on
 * its calling thread ({@link TrainingKernels#kernelThreadsLabel()}).
 */
final class ParallelRanges {
    /** Elements below which a loop stays on the calling thread (about 20 microseconds of a kernel's work). */
    static final long MIN_ELEMENTS = 1 << 15;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rankforge-kernel");
        t.setDaemon(true);
        return t;
    });

    /** Ranges run on another thread than their caller's, since the JVM started (for tests). */
    private static final AtomicLong HANDED_OVER = new AtomicLong();

    /** The loop body over items {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    static {
        Nd4j.getBackend(); // loads libnd4j, which NativeOpsHolder needs before its first use
    }

    private ParallelRanges() {}

    /**
     * {@code body} over items {@code [0, count)}, split across the calling thread's OpenMP thread count when the work
     * ({@code elements} in all) is large enough.
     */
    static void run(int count, long elements, Body body) {
        int threads =
                elements < MIN_ELEMENTS || TrainingKernels.kernelThreadsLabel().equals("1")
                        ? 1
                        : Math.min(count, threads());
        if (threads <= 1) {
            body.run(0, count);
            return;
        }
        Future<?>[] others = new Future<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = bound(count, threads, t);
            int to = bound(count, threads, t + 1);
            others[t - 1] = POOL.submit(() -> body.run(from, to));
            HANDED_OVER.incrementAndGet();
        }
        Throwable failure = null;
        try {
            body.run(0, bound(count, threads, 1));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // every range finishes before this returns (they write into the caller's arrays), interrupted or not
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        }
    }

    /** The first item of range {@code t} of {@code threads} over {@code count} items. */
    private static int bound(int count, int threads, int t) {
        return (int) ((long) count * t / threads);
    }

    /** Ranges handed to another thread since the JVM started. */
    static long handedOver() {
        return HANDED_OVER.get();
    }

    /** OpenMP's thread count for the calling thread. */
    static int threads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
