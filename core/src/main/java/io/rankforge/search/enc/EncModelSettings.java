package io.rankforge.search.enc;

import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;

/**
 * ENC-Model's parameters (docs/method.md §4), the paper's values as defaults. Each can be set per problem
 * through {@link SelectionProblem#options()} under the key shown.
 *
 * @param delta      half-width of the bounds, as a fraction of the original cost: the upper rank bound
 *                   is ENC-Map at target + δ, the lower at target − δ ({@code enc-model.delta}, 0.10)
 * @param density    the bounded space's density target, the mean over searched layers of 1/step; the
 *                   steps start at max(round(r_max/100), 1) and are scaled by one common factor to the
 *                   coarsest grid whose density is still at least this ({@code enc-model.density}, 0.096)
 * @param tolerance  width of the cost window below the target that a candidate must fall in, as a fraction
 *                   of the original cost: [target − tolerance, target] ({@code enc-model.tolerance}, 0.005). The
 *                   authors' code applies its margin below the target too; no pick may spend more than its
 *                   budget, so that no method wins a comparison by spending more
 * @param topK       the most partial candidates kept after each group ({@code enc-model.top-k}, 10000)
 * @param perBucket  partial candidates kept per cost bucket (the pool is split into topK/perBucket
 *                   equal cost buckets so that pruning by metric keeps every cost level alive)
 *                   ({@code enc-model.per-bucket}, 5)
 * @param anchorAtMap the grid runs through ENC-Map's ranks at the target instead of starting from the
 *                   upper bound as in the paper ({@code enc-model.anchor} = map | upper, default upper)
 */
public record EncModelSettings(
        double delta, double density, double tolerance, int topK, int perBucket, boolean anchorAtMap) {
    public static final EncModelSettings PAPER = new EncModelSettings(0.10, 0.096, 0.005, 10000, 5, false);

    public EncModelSettings {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("enc-model.delta must be in (0, 1), got " + delta);
        }
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("enc-model.density must be in (0, 1], got " + density);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("enc-model.tolerance must be in (0, 1), got " + tolerance);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("enc-model.top-k must be >= 1, got " + topK);
        }
        if (perBucket < 1 || perBucket > topK) {
            throw new IllegalArgumentException("enc-model.per-bucket must be in [1, top-k], got " + perBucket);
        }
    }

    /** The paper's values, overridden by any enc-model.* option of the problem. */
    public static EncModelSettings of(SelectionProblem p) {
        try {
            return new EncModelSettings(
                    p.option("enc-model.delta", PAPER.delta),
                    p.option("enc-model.density", PAPER.density),
                    p.option("enc-model.tolerance", PAPER.tolerance),
                    p.option("enc-model.top-k", PAPER.topK),
                    p.option("enc-model.per-bucket", PAPER.perBucket),
                    anchor(p));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String field = message.substring(0, Math.max(0, message.indexOf(' ')));
            throw new SelectionProblemException(field.isEmpty() ? "enc-model" : field, "option " + message);
        }
    }

    private static boolean anchor(SelectionProblem p) {
        String a = p.options().getOrDefault("enc-model.anchor", "upper").trim();
        if (a.equals("map")) {
            return true;
        }
        if (a.equals("upper")) {
            return false;
        }
        throw new SelectionProblemException(
                "enc-model.anchor", "option enc-model.anchor must be map or upper, got '" + a + "'");
    }

    public EncModelSettings withDensity(double d) {
        return new EncModelSettings(delta, d, tolerance, topK, perBucket, anchorAtMap);
    }
}
