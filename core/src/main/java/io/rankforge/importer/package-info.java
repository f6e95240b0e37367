/**
 * Importing models from other frameworks into DL4J networks: the imported model and what every importer shares.
 *
 * <p>May depend on: the root package and {@code io}; never its sub-packages (each importer depends on it, not the
 * reverse).
 */
package io.rankforge.importer;
