package io.rankforge.search.enc;

import io.rankforge.search.InfeasibleBudgetException;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import java.util.List;

/**
 * ENC-Model (docs/method.md §4): the candidate of ENC's bounded space with the highest value of the
 * problem's metric (A_c in the paper's VGG-16 experiment) among those within ±0.5% of the target cost.
 * Parameters: {@link EncModelSettings}. When the grid at the density target holds no candidate in the
 * cost band, the density is doubled (finer steps), up to three times, before giving up.
 */
public final class EncModel implements RankSelector {
    public static final String ID = "enc-model";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Selection select(SelectionProblem p) {
        p.tables();
        long t0 = System.nanoTime();
        Search r = search(p, 1);
        return Selection.of(
                p,
                ID,
                r.candidates().get(0).ranks(),
                Selection.secondsSince(t0),
                new SelectionDiagnostics.EncModel(r.space().describe(r.density())));
    }

    /** The space's best n candidates, with the space they came from. */
    record Search(BoundedSpace space, List<BoundedSpace.Candidate> candidates, double density) {}

    static Search search(SelectionProblem p, int n) {
        EncModelSettings s = EncModelSettings.of(p);
        double density = s.density();
        for (int attempt = 0; attempt < 4; attempt++) {
            EncModelSettings at = s.withDensity(Math.min(1, density));
            BoundedSpace space = BoundedSpace.of(p, at);
            List<BoundedSpace.Candidate> c = space.best(n);
            if (!c.isEmpty()) {
                return new Search(space, c, at.density());
            }
            if (density >= 1) {
                break;
            }
            density *= 2;
        }
        throw new InfeasibleBudgetException("enc-model found no configuration in ENC's bounded space within "
                + (100 * s.tolerance()) + "% of the original cost below the target: widen the band (option "
                + "enc-model.tolerance) or the bounds (enc-model.delta)");
    }
}
