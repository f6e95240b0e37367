/**
 * The profile job and the stored profiles other jobs read.
 *
 * <p>May depend on: {@code jobs.run} and below, core.
 */
package io.rankforge.jobs.profile;
