package io.rankforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The Java kernels' parallel loop: every item exactly once, on the caller's OpenMP thread count (two here, set on
 * this thread whatever the machine has), small work and the switch on the calling thread alone, a range's failure
 * reaching the caller after every range has finished.
 */
class ParallelRangesTest {
    private int ompBefore;

    @BeforeEach
    void twoOpenMpThreadsOnThisThread() {
        ompBefore = ParallelRanges.threads();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(2);
    }

    @AfterEach
    void restore() {
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompBefore);
        System.clearProperty(TrainingKernels.KERNEL_THREADS_PROPERTY);
    }

    @Test
    void everyItemOnceAcrossTwoThreads() {
        for (int count : new int[] {1, 2, 7, 64}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(count);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            long before = ParallelRanges.handedOver();
            ParallelRanges.run(count, 1 << 20, (from, to) -> {
                threads.add(Thread.currentThread());
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < count; i++) {
                assertEquals(1, seen.get(i), "item " + i + " of " + count);
            }
            int expectedThreads = Math.min(count, 2);
            assertEquals(expectedThreads, threads.size(), count + " items");
            assertEquals(expectedThreads - 1, ParallelRanges.handedOver() - before, count + " items");
        }
    }

    @Test
    void smallWorkAndTheSwitchStayOnTheCallingThread() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        ParallelRanges.run(16, ParallelRanges.MIN_ELEMENTS - 1, (from, to) -> threads.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), threads);

        System.setProperty(TrainingKernels.KERNEL_THREADS_PROPERTY, "1");
        assertEquals("1", TrainingKernels.kernelThreadsLabel());
        ParallelRanges.run(16, 1 << 20, (from, to) -> threads.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), threads);
    }

    @Test
    void aRangesFailureReachesTheCallerAfterEveryRangeFinished() {
        AtomicIntegerArray finished = new AtomicIntegerArray(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> ParallelRanges.run(2, 1 << 20, (from, to) -> {
                    if (from == 1) {
                        throw boom; // the range another thread runs
                    }
                    sleep(50);
                    finished.set(from, 1);
                }));
        assertSame(boom, thrown);
        assertEquals(1, finished.get(0), "the caller's own range ran to its end before the failure was thrown");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
