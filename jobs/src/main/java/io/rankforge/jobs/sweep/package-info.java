/**
 * The sweep job: the trials of the validation study, decided on the driver, measured in tasks, journaled exactly once.
 *
 * <p>May depend on: {@code jobs.profile}, {@code jobs.run} and below, core.
 */
package io.rankforge.jobs.sweep;
