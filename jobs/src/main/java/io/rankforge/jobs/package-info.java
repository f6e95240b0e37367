/**
 * The command-line entry point.
 *
 * <p>May depend on: {@code jobs.cli}.
 */
package io.rankforge.jobs;
