/**
 * The catalog of selection methods by id, the one place that knows every implementation.
 *
 * <p>May depend on: {@code search} and its method packages.
 */
package io.rankforge.search.catalog;
