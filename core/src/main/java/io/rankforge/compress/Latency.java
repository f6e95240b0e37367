package io.rankforge.compress;

/**
 * Time of one inference forward pass of a batch: the median over {@code repeats} timed passes, after warm-up
 * passes that are not counted.
 *
 * @param batch        images per pass
 * @param medianMillis median wall time of one pass, milliseconds
 * @param repeats      timed passes
 */
public record Latency(int batch, double medianMillis, int repeats) {
    public Latency {
        if (batch < 1 || repeats < 1 || !(medianMillis >= 0)) {
            throw new IllegalArgumentException("latency needs batch >= 1, repeats >= 1, time >= 0; got " + batch + ", "
                    + repeats + ", " + medianMillis);
        }
    }
}
