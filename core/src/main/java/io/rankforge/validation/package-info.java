/**
 * The validation study's statistics and sampling, free of Spark: uniform sampling of rank configurations inside
 * an iso-cost window ({@link io.rankforge.validation.IsoCostSampler}), rank agreement between a metric and
 * ground truth, seeded bootstrap intervals and paired comparisons of metrics (docs/method.md §8).
 *
 * <p>May depend on: the root package, {@code search} (a problem's costs and bounds).
 */
package io.rankforge.validation;
