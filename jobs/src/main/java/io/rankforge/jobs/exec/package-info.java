/**
 * What runs inside a Spark task: loading a model and images, measuring a configuration.
 *
 * <p>May depend on: {@code jobs.config}, core.
 */
package io.rankforge.jobs.exec;
