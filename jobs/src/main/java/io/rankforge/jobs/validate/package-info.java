/**
 * The validate job: how well each metric orders configurations like ground truth.
 *
 * <p>May depend on: {@code jobs.sweep}, {@code jobs.run} and below, core.
 */
package io.rankforge.jobs.validate;
