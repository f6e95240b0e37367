/**
 * The ENC methods: ENC-Map, ENC-Model and ENC-Inf over the bounded space (docs/method.md §3–5).
 *
 * <p>May depend on: {@code search}, {@code metric}, {@code profile}, the root package.
 */
package io.rankforge.search.enc;
