package io.rankforge.search;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a selection method reports about its search besides the pick: one record per method (family), read by
 * field, never by key. {@link #asMap()} gives the same facts under their snake_case names, JSON-friendly, for
 * output and logs.
 */
public sealed interface SelectionDiagnostics {

    /** The facts under their snake_case names, in a fixed order (arrays copied, lists and maps unmodifiable). */
    Map<String, Object> asMap();

    /** A method that reports nothing beyond its pick. */
    record None() implements SelectionDiagnostics {
        @Override
        public Map<String, Object> asMap() {
            return Map.of();
        }
    }

    /**
     * ENC-Map: the metric level every layer was set to, and whether a layer's curve had to be extended to r_max to
     * reach it.
     */
    record EncMap(double level, boolean curvesExtendedToRmax) implements SelectionDiagnostics {
        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("level", level);
            d.put("curves_extended_to_rmax", curvesExtendedToRmax);
            return d;
        }
    }

    /**
     * ENC's bounded search space (ENC-Model and ENC-Inf): per-layer bounds and grid steps, the number of layer
     * groups, the space's size, how often it was expanded, where the grid is anchored, whether ENC-Map's pick
     * won, and the cost band searched (fractions of the original cost).
     */
    record BoundedSpace(
            int[] upperBound,
            int[] lowerBound,
            int[] steps,
            int groups,
            double spaceSize,
            long expansions,
            String anchor,
            boolean encMapSeedWon,
            double[] costBand,
            double densityUsed) {
        public BoundedSpace {
            upperBound = upperBound.clone();
            lowerBound = lowerBound.clone();
            steps = steps.clone();
            costBand = costBand.clone();
            Objects.requireNonNull(anchor, "anchor");
        }

        @Override
        public int[] upperBound() {
            return upperBound.clone();
        }

        @Override
        public int[] lowerBound() {
            return lowerBound.clone();
        }

        @Override
        public int[] steps() {
            return steps.clone();
        }

        @Override
        public double[] costBand() {
            return costBand.clone();
        }

        void putInto(Map<String, Object> d) {
            d.put("upper_bound", upperBound.clone());
            d.put("lower_bound", lowerBound.clone());
            d.put("steps", steps.clone());
            d.put("groups", groups);
            d.put("space_size", spaceSize);
            d.put("expansions", expansions);
            d.put("anchor", anchor);
            d.put("enc_map_seed_won", encMapSeedWon);
            d.put("cost_band", costBand.clone());
            d.put("density_used", densityUsed);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoundedSpace b
                    && Arrays.equals(upperBound, b.upperBound)
                    && Arrays.equals(lowerBound, b.lowerBound)
                    && Arrays.equals(steps, b.steps)
                    && groups == b.groups
                    && Double.compare(spaceSize, b.spaceSize) == 0
                    && expansions == b.expansions
                    && anchor.equals(b.anchor)
                    && encMapSeedWon == b.encMapSeedWon
                    && Arrays.equals(costBand, b.costBand)
                    && Double.compare(densityUsed, b.densityUsed) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    Arrays.hashCode(upperBound),
                    Arrays.hashCode(lowerBound),
                    Arrays.hashCode(steps),
                    groups,
                    spaceSize,
                    expansions,
                    anchor,
                    encMapSeedWon,
                    Arrays.hashCode(costBand),
                    densityUsed);
        }

        @Override
        public String toString() {
            return "BoundedSpace" + asMapString(this);
        }

        private static String asMapString(BoundedSpace b) {
            Map<String, Object> d = new LinkedHashMap<>();
            b.putInto(d);
            return printable(d).toString();
        }
    }

    /** ENC-Model: the best candidate by metric in ENC's bounded space. */
    record EncModel(BoundedSpace space) implements SelectionDiagnostics {
        public EncModel {
            Objects.requireNonNull(space, "space");
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            space.putInto(d);
            return d;
        }
    }

    /**
     * ENC-Inf: the bounded space, the candidates measured (their metric values and accuracies, in metric order)
     * and the one chosen (the most accurate; ties to the higher metric).
     */
    record EncInf(
            BoundedSpace space,
            List<Double> candidateAccuracies,
            double[] candidateMetricValues,
            int chosenCandidate,
            double chosenAccuracy)
            implements SelectionDiagnostics {
        public EncInf {
            Objects.requireNonNull(space, "space");
            candidateAccuracies = List.copyOf(candidateAccuracies);
            candidateMetricValues = candidateMetricValues.clone();
        }

        public int candidatesEvaluated() {
            return candidateAccuracies.size();
        }

        @Override
        public double[] candidateMetricValues() {
            return candidateMetricValues.clone();
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            space.putInto(d);
            d.put("candidates_evaluated", candidatesEvaluated());
            d.put("candidate_accuracies", candidateAccuracies);
            d.put("candidate_metric_values", candidateMetricValues.clone());
            d.put("chosen_candidate", chosenCandidate);
            d.put("chosen_accuracy", chosenAccuracy);
            return d;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EncInf e
                    && space.equals(e.space)
                    && candidateAccuracies.equals(e.candidateAccuracies)
                    && Arrays.equals(candidateMetricValues, e.candidateMetricValues)
                    && chosenCandidate == e.chosenCandidate
                    && Double.compare(chosenAccuracy, e.chosenAccuracy) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    space,
                    candidateAccuracies,
                    Arrays.hashCode(candidateMetricValues),
                    chosenCandidate,
                    chosenAccuracy);
        }

        @Override
        public String toString() {
            return "EncInf" + printable(asMap());
        }
    }

    /**
     * The exact optimum: log of the metric at the pick, how many layers' metric terms are 0, that it is exact,
     * and, for a point of a Pareto front, the FLOPs target of that point.
     */
    record Optimal(double logMetric, int zeroTerms, boolean exact, OptionalDouble targetFlops)
            implements SelectionDiagnostics {
        public Optimal {
            Objects.requireNonNull(targetFlops, "targetFlops");
        }

        /** The same facts for the front's point at FLOPs target {@code f}. */
        public Optimal atTarget(double f) {
            return new Optimal(logMetric, zeroTerms, exact, OptionalDouble.of(f));
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("log_metric", logMetric);
            d.put("zero_terms", zeroTerms);
            d.put("exact", exact);
            targetFlops.ifPresent(f -> d.put("target_flops", f));
            return d;
        }
    }

    /** The uniform baseline: the fraction of r_max every layer got. */
    record Uniform(double rankFraction) implements SelectionDiagnostics {
        @Override
        public Map<String, Object> asMap() {
            return Map.of("rank_fraction", rankFraction);
        }
    }

    /** The energy baselines: the energy threshold every layer was truncated at. */
    record Energy(double energyThreshold) implements SelectionDiagnostics {
        @Override
        public Map<String, Object> asMap() {
            return Map.of("energy_threshold", energyThreshold);
        }
    }

    /**
     * The VBMF baseline: the scale applied to the EVBMF ranks, those ranks per layer, how many layers' spectra
     * were truncated in the profile, and how many layers EVBMF estimated at rank 0.
     */
    record Vbmf(double scale, Map<String, Integer> evbmfRanks, int truncatedSpectra, int zeroEstimates)
            implements SelectionDiagnostics {
        public Vbmf {
            evbmfRanks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evbmfRanks));
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("scale", scale);
            d.put("evbmf_ranks", evbmfRanks);
            d.put("truncated_spectra", truncatedSpectra);
            d.put("zero_estimates", zeroEstimates);
            return d;
        }
    }

    /**
     * The random baseline: the space sampled (enc or full), the seed, the chain's steps, whether the chain
     * reached the cost band, and the band's lower edge (fraction of the original cost).
     */
    record Random(String space, long seed, int steps, boolean bandReached, double bandLow)
            implements SelectionDiagnostics {
        public Random {
            Objects.requireNonNull(space, "space");
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("space", space);
            d.put("seed", seed);
            d.put("steps", steps);
            d.put("band_reached", bandReached);
            d.put("band_low", bandLow);
            return d;
        }
    }

    /** The map with arrays shown by content (for toString). */
    private static Map<String, Object> printable(Map<String, Object> d) {
        Map<String, Object> out = new LinkedHashMap<>();
        d.forEach((k, v) -> out.put(
                k, v instanceof int[] a ? Arrays.toString(a) : v instanceof double[] a ? Arrays.toString(a) : v));
        return out;
    }
}
