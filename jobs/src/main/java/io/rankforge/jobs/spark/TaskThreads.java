package io.rankforge.jobs.spark;

import io.rankforge.runtime.BlasThreads;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Caps ND4J's and OpenBLAS's threads at the cores a Spark task holds (spark.task.cpus). An executor
 * runs cores ÷ task.cpus tasks at once; without the cap every task's BLAS would start one thread per
 * core and the tasks would oversubscribe the machine.
 *
 * <p>Measured in ND4J 1.0.0-M2.1: {@code Environment.setMaxThreads} is a no-op (maxThreads() stays at the
 * core count); {@code setMaxMasterThreads}, the native OpenMP thread count and OpenBLAS's
 * {@code openblas_set_num_threads} (through {@code Blas.setMaxThreads}) take effect. All four are set; OpenBLAS's
 * count is the one {@link BlasThreads} gives linear algebra (networks run OpenBLAS on one thread).
 *
 * <p>libnd4j's master threads and OpenBLAS are per JVM, which is right here: all tasks of an executor hold the same
 * number of cores. OpenMP's thread count is per calling thread (libgomp keeps it in the thread's own ICVs), and
 * oneDNN runs on OpenMP: it is set on every task thread, or a task that lands on another pool thread would run
 * oneDNN on every core, oversubscribe, and sum its gradients in a different order than the same trial on a capped
 * thread (a retried fine-tuning would then not reproduce its loss).
 */
public final class TaskThreads {
    private static volatile int applied = -1;
    /** What this JVM had before the first cap: {master threads, OpenMP threads, BLAS threads for linear algebra}. */
    private static int[] original;
    /** The OpenMP thread count set on this thread (0: never set here). */
    private static final ThreadLocal<int[]> OMP_HERE = ThreadLocal.withInitial(() -> new int[1]);

    private TaskThreads() {}

    /** Applies the cap for the task running on this thread (1 outside a task's context). */
    public static int forCurrentTask() {
        TaskContext tc = TaskContext.get();
        return apply(tc == null ? 1 : Math.max(1, tc.cpus()));
    }

    /** Sets libnd4j's thread pool, its OpenMP threads and OpenBLAS to {@code threads}; idempotent. */
    public static synchronized int apply(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (original == null) {
            original = new int[] {
                Nd4j.getEnvironment().maxMasterThreads(),
                NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                BlasThreads.full()
            };
        }
        capOpenMpHere(threads);
        if (applied == threads) {
            return threads;
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        BlasThreads.setFull(threads);
        applied = threads;
        return threads;
    }

    private static void capOpenMpHere(int threads) {
        int[] here = OMP_HERE.get();
        if (here[0] != threads) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            here[0] = threads;
        }
    }

    /** Back to what the JVM had before the first cap (the driver's own work after local-mode tasks capped it). */
    public static synchronized void reset() {
        if (applied == -1 || original == null) {
            return;
        }
        Nd4j.getEnvironment().setMaxMasterThreads(original[0]);
        // the calling thread (the driver's, after local-mode tasks) gets its OpenMP threads back
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(original[1]);
        OMP_HERE.get()[0] = original[1];
        BlasThreads.setFull(original[2]);
        applied = -1;
    }

    /** What was last applied in this JVM (-1 when nothing was). */
    public static int applied() {
        return applied;
    }
}
