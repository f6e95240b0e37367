package io.rankforge.jobs.cli;

import io.rankforge.jobs.benchmark.BenchmarkJob;
import io.rankforge.jobs.benchmark.BenchmarkSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rankforge benchmark}: the zoo leaderboard (every model × method × budget, compressed and fine-tuned). */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks compression across the model zoo on Spark: trains (or reuses by digest) every model of "
                    + "rankforge.benchmark.models, lets every method of rankforge.select pick ranks at every budget, "
                    + "compresses each pick with the standard fine-tuning (once per seed), and writes "
                    + "OUT/summary.json, OUT/leaderboard.md and OUT/leaderboard/index.html. A rerun skips the "
                    + "compressions already stored."
        })
public final class BenchmarkCommand implements Callable<Integer> {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE",
            description = "configuration, e.g. conf/zoo-benchmark.conf")
    Path conf;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "override a configuration key (repeatable), e.g. --set benchmark.seeds=3")
    List<String> sets = new ArrayList<>();

    @Option(names = "--verbose", description = "show Spark's, DL4J's and Hadoop's log lines")
    boolean verbose;

    @Option(names = "--json", description = "print the summary (OUT/summary.json) as one JSON line, last on stdout")
    boolean json;

    @Override
    public Integer call() {
        BenchmarkSettings settings = BenchmarkSettings.load(conf, sets);
        return ProgramCommands.run(
                verbose,
                json,
                "leaderboard",
                settings.summaryLocation(),
                progress -> BenchmarkJob.run(settings, progress));
    }
}
