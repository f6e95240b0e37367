/**
 * The quickstart: the whole study on one machine, phase by phase, and its report.
 *
 * <p>May depend on: every job package, {@code jobs.report}, core.
 */
package io.rankforge.jobs.quickstart;
