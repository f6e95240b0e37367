/**
 * The study's HTML report, figures and summary from plain values.
 *
 * <p>May depend on: {@code jobs.store} (reading rows), core's {@code io}.
 */
package io.rankforge.jobs.report;
