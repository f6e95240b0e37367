/**
 * The experiment's output folder on any Hadoop filesystem: Parquet tables, run records, Arrow export.
 *
 * <p>May depend on: {@code jobs.config}, core's {@code io}.
 */
package io.rankforge.jobs.store;
