package io.rankforge.data;

import io.rankforge.io.AtomicFiles;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Sha256;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Verification and installation of a dataset's four IDX files: each file's SHA-256 is checked against the genuine
 * digests of {@link KnownDataset}; raw files in the cache (or in an explicit folder holding all four raw) stay
 * where they are, anything else is decompressed or copied into the cache folder, each file written to a
 * temporary name, verified, then renamed.
 */
final class DatasetInstallation {
    private DatasetInstallation() {}

    record Installed(Path dir, Map<IdxFile, String> sha256) {}

    /**
     * Verifies the four files in {@code dir}. Raw files in the cache, or in an explicit folder that holds
     * all four raw, stay where they are; anything else is decompressed or copied into the cache.
     */
    static Installed install(KnownDataset d, Path dir, boolean explicit, Path cache) throws SourceFailure {
        if (explicit) {
            if (!Files.isDirectory(dir)) {
                throw new SourceFailure(
                        "no such directory; give as dataDir a folder holding the four IDX files (raw or .gz), or leave "
                                + "dataDir out");
            }
            DatasetSources.existing(dir);
        }
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
            Path tmp = AtomicFiles.createTempBeside(target, target);
            try {
                Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SourceFailure("cannot write " + target + ": " + SourceFailure.describe(e));
        }
    }

    /** Decompresses {@code gz} to a temporary file beside {@code target}, checks its digest, renames it. */
    private static void gunzipInto(KnownDataset d, Path gz, Path target, String expected) throws SourceFailure {
        Path tmp = null;
        try {
            tmp = AtomicFiles.createTempBeside(target, target);
            MessageDigest md = Sha256.newDigest();
            // bounded: a small .gz can inflate without end (the digest is only known at the end)
            InputStream gunzipped = BoundedInput.open(
                    new GZIPInputStream(Files.newInputStream(gz), 1 << 16),
                    InputLimits.current().datasetBytes(),
                    "dataset file " + gz,
                    "dataset-bytes");
            try (InputStream in = new DigestInputStream(gunzipped, md);
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
            throw new SourceFailure(gz + " is a truncated or corrupt gzip file (" + SourceFailure.describe(e) + ")");
        } catch (IOException e) {
            throw new SourceFailure("cannot decompress " + gz + " into " + target + ": " + SourceFailure.describe(e));
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
}
