/**
 * Spark sessions and per-task thread settings.
 *
 * <p>May depend on: {@code jobs.config}.
 */
package io.rankforge.jobs.spark;
