/**
 * The sensitivity job: measured accuracy samples y_m of every layer on the held-out split.
 *
 * <p>May depend on: {@code jobs.run} and below, core.
 */
package io.rankforge.jobs.sensitivity;
