/**
 * The study's HTML report, figures and summary from plain values.
 *
 * <p>May depend on: core's {@code io}.
 */
package io.rankforge.jobs.report;
