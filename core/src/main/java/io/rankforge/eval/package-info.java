/**
 * Measuring networks: test accuracy, batch-norm re-estimation, accuracy of a decomposed network.
 *
 * <p>May depend on: the root package, {@code data}, {@code decompose}.
 */
package io.rankforge.eval;
