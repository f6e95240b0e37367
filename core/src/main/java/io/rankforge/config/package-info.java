/**
 * Typed settings shared by the engine, read at the edge from HOCON.
 *
 * <p>May depend on: the root package.
 */
package io.rankforge.config;
