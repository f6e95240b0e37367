/**
 * Per-layer metric curves (PCA energy, measured accuracy by PCHIP, variants) and the network metrics A_p, A_m, A_c
 * over a configuration (docs/method.md §2).
 *
 * <p>May depend on: the root package, {@code profile}.
 */
package io.rankforge.metric;
