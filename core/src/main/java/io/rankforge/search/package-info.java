/**
 * Rank selection as a problem: the selection problem (budget, bounds, cost model), the selector interface,
 * selections, the first-layer rule.
 *
 * <p>May depend on: the root package, {@code metric}, {@code profile}; never its sub-packages.
 */
package io.rankforge.search;
