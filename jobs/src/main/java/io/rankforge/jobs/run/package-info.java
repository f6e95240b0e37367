/**
 * What every job shares: the job context, model inputs, selection problems from the configuration, trial ids and
 * derived seeds.
 *
 * <p>May depend on: {@code jobs.config}, {@code jobs.exec}, {@code jobs.spark}, {@code jobs.store}, core.
 */
package io.rankforge.jobs.run;
