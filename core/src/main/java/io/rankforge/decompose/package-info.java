/**
 * Replacing layers by two low-rank factors at given ranks; the cost (MACs, parameters) of a configuration.
 *
 * <p>May depend on: the root package, {@code io}, {@code model}, {@code spectrum}.
 */
package io.rankforge.decompose;
