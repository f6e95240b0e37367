/**
 * The vocabulary every package shares: {@link io.rankforge.MetricKind}, {@link io.rankforge.RankConfiguration},
 * {@link io.rankforge.AccuracyOracle} and {@link io.rankforge.UserInputException}.
 *
 * <p>May depend on: nothing else of RankForge (the JDK only); every other package may depend on it.
 */
package io.rankforge;
