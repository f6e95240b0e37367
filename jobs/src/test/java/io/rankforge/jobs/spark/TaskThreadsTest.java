package io.rankforge.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.jobs.config.JobConfig;
import io.rankforge.runtime.BlasThreads;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class TaskThreadsTest {
    @Test
    void capsNd4jAndOpenBlasThreads() {
        TaskThreads.reset();
        int blasBefore = BlasThreads.full();
        try {
            TaskThreads.apply(1);
            // Environment.setMaxThreads is a no-op in 1.0.0-M2.1; master threads, OpenMP and OpenBLAS do change
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            assertEquals(1, BlasThreads.full());
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
            INDArray a = Nd4j.rand(DataType.FLOAT, 256, 256);
            assertEquals(256, a.mmul(a).rows(), "BLAS still works with the cap");
            TaskThreads.apply(2);
            // OpenBLAS's count for linear algebra; networks run it on one thread (BlasThreads)
            assertEquals(2, BlasThreads.full());
            try (BlasThreads.Scope svd = BlasThreads.forLinearAlgebra()) {
                assertEquals(2, Nd4j.factory().blas().getMaxThreads());
            }
            assertEquals(2, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            assertEquals(2, TaskThreads.applied());
        } finally {
            TaskThreads.reset();
        }
        assertEquals(blasBefore, BlasThreads.full(), "reset restores what the JVM had");
        assertEquals(-1, TaskThreads.applied());
    }

    @Test
    void capsOpenMpOnEveryTaskThreadNotOnlyTheFirst() throws Exception {
        TaskThreads.reset();
        try {
            // OpenMP's thread count lives in the calling thread's ICVs: a cap set on one pool thread does not reach
            // the next, and oneDNN (on OpenMP) would run a trial there on every core, summing in another order
            int[] seen = new int[2];
            for (int i = 0; i < 2; i++) {
                int slot = i;
                Thread t = new Thread(() -> {
                    TaskThreads.apply(1);
                    seen[slot] =
                            NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
                });
                t.start();
                t.join();
            }
            assertEquals(1, seen[0]);
            assertEquals(1, seen[1], "the second task thread is capped too");
        } finally {
            TaskThreads.reset();
        }
    }

    @Test
    void sessionConfCarriesModuleFlagsAndTaskCpus() {
        JobConfig c = JobConfig.load(null, List.of("spark.task-cpus=2", "spark.master=\"local[4]\""));
        SparkConf conf = Sessions.conf(c.spark());
        assertEquals("2", conf.get("spark.task.cpus"));
        assertEquals("false", conf.get("spark.ui.enabled"));
        String exec = conf.get("spark.executor.extraJavaOptions");
        assertTrue(exec.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), exec);
        assertTrue(exec.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), exec);
        assertEquals(JvmFlags.mergeInto(exec), exec, "merging twice adds nothing");
        if (System.getProperty("spark.master") == null) {
            assertEquals("local[4]", conf.get("spark.master"));
        }
    }
}
