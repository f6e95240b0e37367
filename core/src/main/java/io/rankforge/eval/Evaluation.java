package io.rankforge.eval;

/**
 * Top-1 result of one evaluation.
 *
 * @param correct images whose highest-scoring class is their label
 * @param total   images evaluated
 * @param seconds wall-clock seconds of the forward passes (batching included, network building excluded)
 */
public record Evaluation(int correct, int total, double seconds) {
    public Evaluation {
        if (total < 0 || correct < 0 || correct > total) {
            throw new IllegalArgumentException("need 0 <= correct <= total, got " + correct + "/" + total);
        }
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
        }
    }

    /** correct / total, in [0, 1] (NaN for an empty set). */
    public double accuracy() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Images per second of wall-clock time (NaN when nothing was timed). */
    public double imagesPerSecond() {
        return seconds > 0 ? total / seconds : Double.NaN;
    }
}
