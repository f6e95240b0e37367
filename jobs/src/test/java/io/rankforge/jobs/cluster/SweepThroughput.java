package io.rankforge.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.e2e.Lenet5Fixture;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.run.JobContext;
import io.rankforge.jobs.run.Progress;
import io.rankforge.jobs.spark.JvmFlags;
import io.rankforge.jobs.spark.Sessions;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Measures the sweep's throughput (trials per hour, lenet5, no fine-tuning) with local[1], local[2],
 * and a standalone cluster of one and of two single-core workers (spark-submit of the shaded jar).
 * Not a test: run by hand (benchmarks/README.md says how), after {@code mvn package}.
 *
 * <pre>args: WORK_DIR SHADED_JAR [TRIALS_PER_BAND [REPEATS]]</pre>
 *
 * <p>Besides the Markdown table on stdout, writes {@code WORK_DIR/spark.csv}: per setting and repeat the trials,
 * the sweep's seconds, trials per hour, and from the sweep's cost summary the task time per trial and the slot time
 * per trial spent outside tasks (Spark's overhead).
 */
public final class SweepThroughput {
    private SweepThroughput() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path jar = Path.of(args[1]).toAbsolutePath();
        int perBand = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        StringBuilder csv = new StringBuilder(
                "setting,repeat,trials,seconds,trials_per_hour,task_s_per_trial,overhead_s_per_trial\n");
        Path model = work.resolve("models/lenet5.zip");
        if (!Files.exists(model)) {
            Lenet5Fixture.train(model);
        }
        String extra = "rankforge.sweep { samples-per-stratum = " + perBand
                + ", batch-size = 4, include-method-picks = false, fine-tune.enabled = false }\n"
                + "rankforge.select.metric = pca\nrankforge.data.test-images = 1000\n";
        Path base = work.resolve("base");
        Path baseConf = work.resolve("base.conf");
        Files.writeString(baseConf, Lenet5Fixture.conf(model, base, extra));
        JobConfig bc = JobConfig.load(baseConf, List.of());
        SparkSession s = Sessions.create(bc.spark());
        try (JobContext ctx = JobContext.on(s, bc, Progress.SILENT)) {
            if (!Files.exists(base.resolve("profiles"))) {
                ProfileJob.run(ctx);
            }
        } finally {
            s.stop();
        }
        StringBuilder report = new StringBuilder();
        for (int rep = 0; rep < repeats; rep++) {
            for (String master : List.of("local[1]", "local[2]")) {
                Path out = fresh(work, base, master.replaceAll("[^a-z0-9]", ""));
                JobConfig c =
                        JobConfig.load(writeConf(work, model, out, extra), List.of("spark.master=\"" + master + "\""));
                try (JobContext ctx = JobContext.open(c, Progress.SILENT)) {
                    SweepSummary r = SweepJob.run(ctx);
                    report.append(line(master, r.trialsRun(), r.seconds()));
                    csv.append(csvLine(master, rep, r.toJson()));
                }
            }
            for (int workers : new int[] {1, 2}) {
                Path out = fresh(work, base, "standalone" + workers);
                Path conf = writeConf(work, model, out, extra);
                try (StandaloneCluster cluster =
                        StandaloneCluster.start(work.resolve("cluster" + workers), JvmFlags.sparkFlags())) {
                    for (int w = 0; w < workers; w++) {
                        cluster.addWorker(1, "1800m");
                    }
                    Path stdout = work.resolve("submit" + workers + ".out"),
                            log = work.resolve("submit" + workers + ".log");
                    Process p = cluster.submit(
                            stdout,
                            log,
                            List.of("spark.executor.memory=1200m", "spark.executor.cores=1"),
                            jar,
                            "io.rankforge.jobs.Main",
                            "sweep",
                            "--conf",
                            conf.toString(),
                            "--json");
                    if (!p.waitFor(1800, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        throw new IllegalStateException("submit failed, see " + log);
                    }
                    String[] lines = Files.readString(stdout).strip().split("\n");
                    JsonNode j = Json.parse(lines[lines.length - 1], "summary");
                    String setting = "standalone, " + workers + " worker" + (workers > 1 ? "s" : "") + " x 1 core";
                    report.append(line(
                            setting,
                            j.get("trials_run").asLong(),
                            j.get("seconds").asDouble()));
                    csv.append(csvLine(setting, rep, j));
                }
            }
        }
        System.out.println(report);
        Files.writeString(work.resolve("spark.csv"), csv.toString());
    }

    static String csvLine(String setting, int repeat, JsonNode summary) {
        JsonNode cost = summary.get("cost");
        long trials = summary.get("trials_run").asLong();
        double seconds = summary.get("seconds").asDouble();
        return String.format(
                Locale.ROOT,
                "\"%s\",%d,%d,%.3f,%.1f,%.4f,%.4f%n",
                setting,
                repeat,
                trials,
                seconds,
                trials / seconds * 3600,
                cost.get("task_s").asDouble() / Math.max(1, trials),
                cost.path("overhead_s_per_trial").asDouble(Double.NaN));
    }

    static String line(String setting, long trials, double seconds) {
        return String.format(
                Locale.ROOT, "| %s | %d | %.1f | %.0f |%n", setting, trials, seconds, trials / seconds * 3600);
    }

    static Path writeConf(Path work, Path model, Path out, String extra) throws Exception {
        Path conf = work.resolve(out.getFileName() + ".conf");
        Files.writeString(conf, Lenet5Fixture.conf(model, out, extra));
        return conf;
    }

    /** A new output folder holding a copy of the base profiles (so every setting sweeps from scratch). */
    static Path fresh(Path work, Path base, String name) throws Exception {
        Path out = work.resolve("out-" + name);
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> s = Files.walk(base.resolve("profiles"))) {
            for (Path p : s.toList()) {
                Path t = out.resolve("profiles")
                        .resolve(base.resolve("profiles").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return out;
    }
}
