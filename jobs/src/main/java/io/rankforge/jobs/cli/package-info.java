/**
 * The picocli commands of {@code bin/rankforge}: argument parsing, console output, exit codes; they call the engine
 * or the jobs.
 *
 * <p>May depend on: every other jobs package and core; nothing depends on it but {@code io.rankforge.jobs}.
 */
package io.rankforge.jobs.cli;
