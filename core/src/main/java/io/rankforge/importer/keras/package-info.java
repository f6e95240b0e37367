/**
 * The Keras 2 (HDF5) importer, through DL4J's model import.
 *
 * <p>May depend on: {@code importer}, the root package, {@code io}.
 */
package io.rankforge.importer.keras;
