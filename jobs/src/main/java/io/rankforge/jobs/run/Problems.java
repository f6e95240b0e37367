package io.rankforge.jobs.run;

import io.rankforge.AccuracyOracle;
import io.rankforge.MetricKind;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.search.FirstLayerRule;
import io.rankforge.search.SelectionProblem;

/** Selection problems as the experiment configuration defines them (metric, first layer, rank floor, excludes). */
public final class Problems {
    private Problems() {}

    /** The problem of one method at one budget for one model; randomised methods get a derived seed. */
    public static SelectionProblem of(
            JobConfig c, NetworkProfile profile, String digest, String method, double budget, AccuracyOracle oracle) {
        return of(
                c, profile, digest, method, budget, MetricKind.parse(c.select().metric()), oracle);
    }

    public static SelectionProblem of(
            JobConfig c,
            NetworkProfile profile,
            String digest,
            String method,
            double budget,
            MetricKind metric,
            AccuracyOracle oracle) {
        var s = c.select();
        SelectionProblem.Builder b = SelectionProblem.builder(profile)
                .metric(metric)
                .firstLayer(FirstLayerRule.parse(s.firstLayer()))
                .minRankFraction(s.minRankFraction())
                .excludePattern(c.profile().excludePattern())
                .targetFlops(budget)
                .seed(TrialId.derivedSeed(c.experiment().seed(), digest, method, Double.toString(budget)))
                .oracle(oracle)
                .option("enc-inf.candidates", Integer.toString(s.encInfCandidates()));
        return b.build();
    }
}
