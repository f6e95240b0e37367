/**
 * The experiment configuration (HOCON, defaults in reference.conf) as typed records.
 *
 * <p>May depend on: core's {@code config}, {@code eval}, {@code search.catalog}.
 */
package io.rankforge.jobs.config;
