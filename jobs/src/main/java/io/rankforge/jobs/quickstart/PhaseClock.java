package io.rankforge.jobs.quickstart;

import io.rankforge.jobs.report.PhaseTiming;
import io.rankforge.jobs.run.ConsoleProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs the quickstart's phases in order, shows each on the console and records its wall time. */
final class PhaseClock {
    /** What a phase returns: its one-line result and whether it reused stored results. */
    record Outcome(String result, boolean reused) {
        static Outcome computed(String result) {
            return new Outcome(result, false);
        }

        static Outcome reused(String result) {
            return new Outcome(result, true);
        }
    }

    private final ConsoleProgress progress;
    private final List<String> names;
    private final List<PhaseTiming> timings = new ArrayList<>();
    private final long start = System.nanoTime();

    PhaseClock(ConsoleProgress progress, List<String> names) {
        this.progress = progress;
        this.names = List.copyOf(names);
    }

    Outcome run(String name, Supplier<Outcome> phase) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("phase " + name + " is not one of " + names);
        }
        progress.startPhase(index + 1, names.size(), name);
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        Outcome o = phase.get();
        timings.add(new PhaseTiming(name, (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9, o.reused()));
        progress.endPhase(o.result());
        return o;
    }

    /** CPU time of the whole JVM so far (0 where the platform does not tell). */
    static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    List<PhaseTiming> timings() {
        return List.copyOf(timings);
    }

    double totalSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
