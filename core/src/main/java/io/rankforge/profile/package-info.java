/**
 * A network's profile (per-layer spectra, costs and measured sensitivity), its JSON form, the paper's reference
 * layout, and the measurement of sensitivity samples.
 *
 * <p>May depend on: the root package, {@code data}, {@code decompose}, {@code eval}, {@code io}, {@code model},
 * {@code spectrum}.
 */
package io.rankforge.profile;
