/**
 * The exact optimum of a product metric under a budget (multiple-choice knapsack) and its Pareto front
 * (docs/method.md §6).
 *
 * <p>May depend on: {@code search}, {@code metric}, the root package.
 */
package io.rankforge.search.optimal;
