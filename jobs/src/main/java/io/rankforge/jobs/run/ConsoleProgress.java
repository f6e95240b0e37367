package io.rankforge.jobs.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a person watching a command sees on stderr, one format for every command: the phase, tasks done of tasks
 * known, time in the phase (m:ss, h:mm:ss past an hour) and an estimate of the time left ("ETA"):
 * {@code rankforge: [sweep] · 12/60 tasks · 0:40 · ETA 2:40}.
 *
 * <p>A Spark job's {@link #phase} is the phase itself ({@code [sweep]}). A multi-phase command such as the
 * quickstart numbers its own phases with {@link #startPhase}/{@link #endPhase} ({@code [6/8] sweep}), and a job's
 * phase inside one becomes its step ({@code [6/8] sweep (trials)}). On a terminal one line is redrawn every
 * second; otherwise (a log file, CI) a status line is printed every {@code logEverySeconds}, when the last task of
 * a phase is done, and at each phase end.
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

    /** Progress on stderr; redraws in place when a terminal is attached, else a line every 10 s. */
    public static ConsoleProgress onStderr() {
        return new ConsoleProgress(System.err, System.console() != null, 10);
    }

    /** Progress on the given stream, one status line every {@code logEverySeconds} (tests, logs). */
    public static ConsoleProgress lines(PrintStream out, long logEverySeconds) {
        return new ConsoleProgress(out, false, logEverySeconds);
    }

    /** Starts numbered phase {@code index} (1-based) of {@code count}; the task counters restart at zero. */
    public synchronized void startPhase(int index, int count, String name) {
        phaseIndex = index;
        phaseCount = count;
        phase = name;
        step = "";
        done.set(0);
        total.set(0);
        phaseStart = System.nanoTime();
        lastLine = phaseStart;
        print(prefix() + "started");
    }

    /** More tasks became known (e.g. a training epoch planned). */
    public void addTasks(long n) {
        total.addAndGet(n);
    }

    /**
     * A job's phase with this many Spark tasks (0 when unknown): the phase itself, or inside a numbered phase its
     * step.
     */
    @Override
    public synchronized void phase(String name, long tasks) {
        done.set(0);
        total.set(Math.max(0, tasks));
        if (phaseCount > 0 && !phase.isEmpty()) {
            step = name.equals(phase) ? "" : name;
            return;
        }
        phaseIndex = 0;
        phaseCount = 0;
        phase = name;
        step = "";
        phaseStart = System.nanoTime();
        lastLine = phaseStart;
        print(prefix() + (tasks > 0 ? tasks + " tasks" : "started"));
    }

    /** One task finished (called from Spark's listener thread). */
    @Override
    public void taskDone() {
        long d = done.incrementAndGet();
        long t = total.get();
        if (!redraw && t > 0 && d == t) {
            synchronized (this) {
                print(status());
            }
        }
    }

    /** Ends the current numbered phase with a one-line result. */
    public synchronized void endPhase(String result) {
        print(prefix() + "done in " + clock(elapsedSeconds()) + (result.isEmpty() ? "" : " · " + result));
        phase = ""; // nothing to tick about until the next phase starts
    }

    /** A line of its own between progress lines. */
    @Override
    public synchronized void note(String text) {
        print(text);
    }

    /** The status line: [2/8] phase (step) · 12/40 tasks · 0:31 · ETA 1:10. */
    synchronized String status() {
        long d = done.get(), t = total.get();
        StringBuilder s = new StringBuilder(prefix());
        if (t > 0) {
            s.append(Math.min(d, t)).append('/').append(t).append(" tasks · ");
        } else if (d > 0) {
            s.append(d).append(" tasks · ");
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
        String head = phaseCount > 0 ? "[" + phaseIndex + "/" + phaseCount + "] " + phase : "[" + phase + "]";
        return head + (step.isEmpty() ? "" : " (" + step + ")") + " · ";
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
            print(status());
        }
    }

    private void print(String line) {
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

    /** Seconds as m:ss, or h:mm:ss from an hour on. */
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
