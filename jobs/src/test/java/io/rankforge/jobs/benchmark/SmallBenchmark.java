package io.rankforge.jobs.benchmark;

import io.rankforge.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a benchmark small enough for a test: conf/zoo-benchmark-small.conf reduced by --set only
 * (lenet5 trained for one epoch on 600 images, enc-map and uniform at 50%, one seed, few images).
 */
public final class SmallBenchmark {
    private SmallBenchmark() {}

    /** {@code benchmark --conf … --json --set …} writing to {@code output}, with {@code more} overrides last. */
    public static List<String> args(String output, List<String> more) {
        Path conf = Path.of(System.getProperty("rankforge.repo.root", ".."), "conf", "zoo-benchmark-small.conf");
        List<String> args = new ArrayList<>(List.of("benchmark", "--conf", conf.toString(), "--json"));
        List<String> sets = new ArrayList<>(List.of(
                "benchmark.models=[lenet5]",
                "benchmark.train.images=600",
                "benchmark.train.epochs=1",
                "select.methods=[enc-map, uniform]",
                "select.budgets=[0.5]",
                "benchmark.seeds=1",
                "benchmark.fine-tune.images=128",
                "benchmark.latency-repeats=1",
                "benchmark.reference-profiles=[]",
                "data.test-images=200",
                "data.measure-images=100",
                "data.calibration-images=100",
                "experiment.output=" + Json.line(output)));
        sets.addAll(more);
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args;
    }
}
