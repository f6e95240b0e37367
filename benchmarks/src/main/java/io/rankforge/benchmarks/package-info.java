/**
 * JMH benchmarks of the searches.
 *
 * <p>May depend on: core.
 */
package io.rankforge.benchmarks;
