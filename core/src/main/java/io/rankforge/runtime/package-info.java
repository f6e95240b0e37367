/**
 * The process's native runtime: which libnd4j build (plain, or oneDNN for AVX2 CPUs) ND4J loads, chosen before
 * ND4J initialises. Depends on nothing else in RankForge; every entry point (CLI, Spark executors, tests) calls
 * {@link io.rankforge.runtime.NativeBackend#select()} first.
 */
package io.rankforge.runtime;
