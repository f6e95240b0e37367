/**
 * Typed settings shared by the engine, read at the edge from HOCON.
 *
 * <p>May depend on: the root package, {@code io} (the limits on what is read).
 */
package io.rankforge.config;
