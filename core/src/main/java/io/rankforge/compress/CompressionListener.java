package io.rankforge.compress;

/**
 * What the pipeline reports while it runs: phases, the steps of a phase (fine-tuning iterations, evaluation
 * batches) so that a caller can show an estimate of the time left, and lines worth showing.
 */
public interface CompressionListener {
    /** A phase starts with this many steps (0 when unknown). */
    void phase(String name, long steps);

    /** One step of the current phase is done. */
    void step();

    /** The current phase is done; {@code result} says what it gave (may be empty). */
    void phaseDone(String result);

    /** A line worth showing (an epoch's loss). */
    void note(String line);

    /** Reports nothing. */
    CompressionListener SILENT = new CompressionListener() {
        @Override
        public void phase(String name, long steps) {}

        @Override
        public void step() {}

        @Override
        public void phaseDone(String result) {}

        @Override
        public void note(String line) {}
    };
}
