/**
 * The process's native runtime: which libnd4j build (plain, or oneDNN for AVX2 CPUs) ND4J loads, chosen before
 * ND4J initialises ({@link io.rankforge.runtime.NativeBackend#select()}, called first by every entry point: CLI,
 * Spark executors, tests), and the training kernels RankForge puts into DL4J's layers and updater in place of slower
 * helpers ({@link io.rankforge.runtime.TrainingKernels}). Depends on nothing else in RankForge but its error type.
 */
package io.rankforge.runtime;
