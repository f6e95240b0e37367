/**
 * The compression pipeline as one typed call: a model and the ranks of its compressible layers in, the compressed
 * network out ({@link io.rankforge.compress.Compressor}): decompose, re-estimate batch-norm statistics, fine-tune on
 * training images with a cosine learning-rate decay ({@link io.rankforge.compress.FineTuneSchedule}), measure test
 * accuracy at each stage and latency of original and compressed; then write the compressed DL4J model with its JSON
 * sidecar ({@link io.rankforge.compress.CompressedModels}). Choosing the ranks is the caller's: a selection method
 * ({@code search}) or a ranks file.
 *
 * <p>May depend on: the root package, {@code io}, {@code data}, {@code model}, {@code decompose}, {@code eval}.
 * Nothing in core depends on it.
 */
package io.rankforge.compress;
