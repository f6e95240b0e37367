/**
 * Decomposition schemes and per-layer spectra: how a layer's weights are reshaped into a matrix, and its SVD
 * (docs/method.md §1).
 *
 * <p>May depend on: {@code model}.
 */
package io.rankforge.spectrum;
