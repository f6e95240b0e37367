package io.rankforge.jobs.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr: "[sweep] 12/60 tasks, 40 s, about 2m40s left", at most one line every
 * {@code intervalMillis} and one when a phase ends. The estimate is the phase's mean task rate.
 */
public final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final long intervalMillis;
    private String phase = "";
    private long total, done, startMillis, lastPrint;

    public ConsoleProgress(PrintStream out, long intervalMillis) {
        this.out = out;
        this.intervalMillis = intervalMillis;
    }

    public static ConsoleProgress stderr() {
        return new ConsoleProgress(System.err, 2000);
    }

    @Override
    public synchronized void phase(String name, long tasks) {
        phase = name;
        total = tasks;
        done = 0;
        startMillis = System.currentTimeMillis();
        lastPrint = 0;
        out.println("[" + name + "] " + (tasks > 0 ? tasks + " tasks" : "starting"));
        out.flush();
    }

    @Override
    public synchronized void taskDone() {
        done++;
        long now = System.currentTimeMillis();
        if (now - lastPrint >= intervalMillis || (total > 0 && done == total)) {
            lastPrint = now;
            out.println(line(now));
            out.flush();
        }
    }

    @Override
    public synchronized void note(String message) {
        out.println((phase.isEmpty() ? "" : "[" + phase + "] ") + message);
        out.flush();
    }

    String line(long now) {
        double secs = (now - startMillis) / 1000.0;
        StringBuilder b = new StringBuilder("[").append(phase).append("] ").append(done);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(" tasks, ").append(duration(secs));
        if (total > 0 && done > 0 && done < total) {
            b.append(", about ").append(duration(secs / done * (total - done))).append(" left");
        }
        return b.toString();
    }

    static String duration(double secs) {
        long s = Math.round(secs);
        if (s < 60) {
            return s + " s";
        }
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
