package io.rankforge.jobs.quickstart;

import io.rankforge.jobs.run.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a person watching the quickstart sees on stderr: the phase, tasks done of tasks known, time
 * in the phase and an estimate of the time left. On a terminal one line is redrawn every second;
 * otherwise (a log file, CI) a line is printed every {@code logEverySeconds} and at each phase end.
 */
public final class ConsoleProgress implements Progress, AutoCloseable {
    private final PrintStream err;
    private final boolean redraw;
    private final long logEveryNanos;
    private final ScheduledExecutorService ticker;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private volatile String phase = "";
    private volatile String step = "";
    private volatile int phaseIndex;
    private volatile int phaseCount;
    private volatile long phaseStart;
    private volatile long lastLine;
    private volatile boolean lineOpen;

    private ConsoleProgress(PrintStream err, boolean redraw, long logEverySeconds) {
        this.err = err;
        this.redraw = redraw;
        this.logEveryNanos = TimeUnit.SECONDS.toNanos(logEverySeconds);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rankforge-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Progress on stderr; redraws in place when a terminal is attached. */
    public static ConsoleProgress onStderr() {
        return new ConsoleProgress(System.err, System.console() != null, 10);
    }

    /** Progress on the given stream, one line every {@code logEverySeconds} (tests, logs). */
    public static ConsoleProgress lines(PrintStream out, long logEverySeconds) {
        return new ConsoleProgress(out, false, logEverySeconds);
    }

    /** Starts phase {@code index} (1-based) of {@code count}; the task counters restart at zero. */
    public synchronized void startPhase(int index, int count, String name) {
        phaseIndex = index;
        phaseCount = count;
        phase = name;
        step = "";
        done.set(0);
        total.set(0);
        phaseStart = System.nanoTime();
        lastLine = phaseStart;
        print(prefix() + "started", true);
    }

    /** More tasks became known (e.g. a training epoch planned). */
    public void addTasks(long n) {
        total.addAndGet(n);
    }

    /** A job inside the current phase starts a step with this many Spark tasks (0 when unknown). */
    @Override
    public synchronized void phase(String name, long tasks) {
        step = name.equals(phase) ? "" : name;
        done.set(0);
        total.set(Math.max(0, tasks));
    }

    /** One task finished (called from Spark's listener thread). */
    @Override
    public void taskDone() {
        done.incrementAndGet();
    }

    /** Ends the current phase with a one-line result. */
    public synchronized void endPhase(String result) {
        print(prefix() + "done in " + clock(elapsedSeconds()) + (result.isEmpty() ? "" : " · " + result), true);
        phase = ""; // nothing to tick about until the next phase starts
    }

    /** A line of its own between progress lines. */
    @Override
    public synchronized void note(String text) {
        print(text, true);
    }

    /** The status line: [2/8] phase · 12/40 tasks · 0:31 · ETA 1:10. */
    synchronized String status() {
        long d = done.get(), t = total.get();
        StringBuilder s = new StringBuilder(prefix());
        if (t > 0) {
            s.append(Math.min(d, t)).append('/').append(t).append(" tasks · ");
        }
        double el = elapsedSeconds();
        s.append(clock(el));
        if (t > 0 && d > 0 && d < t) {
            double eta = el / d * (t - d);
            s.append(" · ETA ").append(clock(eta));
        }
        return s.toString();
    }

    private String prefix() {
        return "[" + phaseIndex + "/" + phaseCount + "] " + phase + (step.isEmpty() ? "" : " (" + step + ")") + " · ";
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - phaseStart) / 1e9;
    }

    private synchronized void tick() {
        if (phase.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (redraw) {
            err.print("\r" + pad(status()));
            err.flush();
            lineOpen = true;
        } else if (now - lastLine >= logEveryNanos) {
            print(status(), false);
        }
    }

    private void print(String line, boolean important) {
        if (redraw && lineOpen) {
            err.print("\r" + pad("") + "\r");
        }
        lineOpen = false;
        err.println("rankforge: " + line);
        err.flush();
        lastLine = System.nanoTime();
    }

    private static String pad(String s) {
        return s.length() >= 100 ? s : s + " ".repeat(100 - s.length());
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (redraw && lineOpen) {
            err.print("\r" + pad("") + "\r");
            err.flush();
        }
    }
}
