/**
 * {@code benchmark}: the zoo leaderboard. Trains (or reuses by digest) every zoo model of the configuration, then for
 * every model × method × budget selects ranks, compresses with the standard pipeline ({@code io.rankforge.compress}:
 * decompose, batch-norm re-estimation, fine-tuning, measurement), one Spark task per compression and fine-tuning
 * seed, resumable through a journal, and writes the leaderboard (summary JSON, Markdown, HTML).
 *
 * <p>May depend on: core, {@code jobs.config}, {@code jobs.exec}, {@code jobs.run}, {@code jobs.store},
 * {@code jobs.spark}, {@code jobs.profile}, {@code jobs.sensitivity}, {@code jobs.select}, {@code jobs.sweep}
 * (the journal), {@code jobs.quickstart} (the trained-model cache).
 */
package io.rankforge.jobs.benchmark;
