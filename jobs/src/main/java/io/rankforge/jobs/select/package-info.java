/**
 * The select job: every method at every budget for every model.
 *
 * <p>May depend on: {@code jobs.sweep}, {@code jobs.profile}, {@code jobs.run} and below, core.
 */
package io.rankforge.jobs.select;
