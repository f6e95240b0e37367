/**
 * Files and formats: JSON, atomic writes (temporary path, then rename), SHA-256 digests, model sidecars, provenance
 * of results.
 *
 * <p>May depend on: the root package and the JDK/Jackson/Hadoop.
 */
package io.rankforge.io;
