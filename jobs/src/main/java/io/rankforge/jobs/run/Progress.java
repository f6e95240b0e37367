package io.rankforge.jobs.run;

/**
 * What a person watching a job sees: the phase that runs and how many of its tasks are done. Jobs
 * call {@link #phase} when a phase starts; Spark task completions call {@link #taskDone} (through
 * {@link TaskCounter}). Implementations must be thread-safe (Spark's listener thread calls them).
 */
public interface Progress {
    /** A phase starts with this many tasks (0 when unknown). */
    void phase(String name, long tasks);

    /** One task of the current phase finished. */
    void taskDone();

    /** A line worth showing (a summary, a warning). */
    void note(String message);

    /** Nothing shown (library use that wants silence). */
    Progress SILENT = new Progress() {
        @Override
        public void phase(String name, long tasks) {}

        @Override
        public void taskDone() {}

        @Override
        public void note(String message) {}
    };
}
