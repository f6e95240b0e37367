package io.rankforge.search.enc;

import io.rankforge.AccuracyOracle;
import io.rankforge.RankConfiguration;
import io.rankforge.search.RankSelector;
import io.rankforge.search.Selection;
import io.rankforge.search.SelectionDiagnostics;
import io.rankforge.search.SelectionProblem;
import io.rankforge.search.SelectionProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * ENC-Inf (docs/method.md §5): the top N candidates of ENC's bounded space by the problem's metric (paper:
 * 40 by A_c for VGG-16, 20 by A_p for ResNet-56), each measured by the {@link AccuracyOracle} on the
 * held-out split without fine-tuning; the most accurate is returned (the higher metric breaks ties).
 * N is the option {@code enc-inf.candidates} (default 40). The evaluations go to
 * {@link AccuracyOracle#accuracies} in one batch, so a distributed oracle can run them in parallel.
 */
public final class EncInf implements RankSelector {
    public static final String ID = "enc-inf";
    public static final int DEFAULT_CANDIDATES = 40;

    @Override
    public String id() {
        return ID;
    }

    /**
     * ENC-Inf's candidate generation alone: the top {@code n} configurations of ENC's bounded space by the problem's
     * metric, best first, without measuring any (what benchmarks time; {@link #select} measures them).
     */
    public static List<RankConfiguration> candidates(SelectionProblem p, int n) {
        p.tables();
        List<RankConfiguration> configs = new ArrayList<>();
        for (BoundedSpace.Candidate c : EncModel.search(p, n).candidates()) {
            configs.add(p.configuration(c.ranks()));
        }
        return configs;
    }

    @Override
    public Selection select(SelectionProblem p) {
        AccuracyOracle oracle = p.oracle()
                .orElseThrow(() -> new SelectionProblemException(
                        "oracle",
                        "enc-inf needs a model to measure its candidates' accuracy (the problem's oracle): give "
                                + "modelFile (a profile alone has no network to run), or use method enc-model"));
        int n = p.option("enc-inf.candidates", DEFAULT_CANDIDATES);
        if (n < 1) {
            throw new SelectionProblemException(
                    "enc-inf.candidates", "option enc-inf.candidates must be >= 1, got " + n);
        }
        p.tables();
        long t0 = System.nanoTime();
        EncModel.Search search = EncModel.search(p, n);
        List<BoundedSpace.Candidate> cands = search.candidates();
        List<RankConfiguration> configs = new ArrayList<>();
        for (BoundedSpace.Candidate c : cands) {
            configs.add(p.configuration(c.ranks()));
        }
        List<Double> acc = oracle.accuracies(configs);
        if (acc.size() != configs.size()) {
            throw new IllegalStateException(
                    "oracle returned " + acc.size() + " accuracies for " + configs.size() + " candidates");
        }
        int best = 0;
        for (int i = 1; i < acc.size(); i++) {
            if (acc.get(i) > acc.get(best)) {
                best = i; // ties: earlier = higher metric
            } // ties: earlier = higher metric
        }
        SelectionDiagnostics.EncInf d = new SelectionDiagnostics.EncInf(
                search.space().describe(search.density()),
                acc,
                cands.stream().mapToDouble(BoundedSpace.Candidate::value).toArray(),
                best,
                acc.get(best));
        return Selection.of(p, ID, cands.get(best).ranks(), Selection.secondsSince(t0), d);
    }
}
