/**
 * The baselines: uniform rank ratio, energy thresholds, EVBMF, random configurations (docs/method.md §7).
 *
 * <p>May depend on: {@code search}, {@code search.enc} (the bounded space of {@code random}), {@code metric}, {@code
 * profile}, the root package.
 */
package io.rankforge.search.baseline;
