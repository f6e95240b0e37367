package io.rankforge.jobs.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which a crash is most harmful (a trial running, a batch half committed, a table half
 * replaced). Only the fault test uses them: it starts a job with the system property
 * {@code rankforge.fault.halt-at=NAME} (or {@code NAME:N}, the N-th time NAME is reached) and the JVM
 * halts there as a SIGKILL would stop it (no shutdown hook, no finally block), after one line on stderr
 * that proves the point was reached. Without the property, {@link #reach} does nothing.
 */
public final class FaultPoints {
    /** The system property naming the point (and occurrence) to halt at. */
    public static final String PROPERTY = "rankforge.fault.halt-at";

    /** The exit status of a halted JVM: that of a process killed by SIGKILL. */
    public static final int HALT_STATUS = 137;

    private static final ConcurrentHashMap<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    private FaultPoints() {}

    /** Marks that {@code name} is reached; halts the JVM when the property names this occurrence. */
    public static void reach(String name) {
        String want = System.getProperty(PROPERTY);
        if (want == null || want.isEmpty()) {
            return;
        }
        int colon = want.indexOf(':');
        String point = colon < 0 ? want : want.substring(0, colon);
        if (!point.equals(name)) {
            return;
        }
        int nth = colon < 0 ? 1 : Integer.parseInt(want.substring(colon + 1));
        int count = REACHED.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        if (count == nth) {
            System.err.println("rankforge fault point reached: " + name + " (" + count + "), halting");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
