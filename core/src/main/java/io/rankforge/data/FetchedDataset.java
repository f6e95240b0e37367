package io.rankforge.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a dataset's verified, uncompressed IDX files are, and how they got there.
 *
 * @param dir      folder holding the four uncompressed files under their canonical names
 * @param source   the source that supplied them (e.g. "cache", "debian package files /usr/share/...")
 * @param sha256   verified digest of each uncompressed file
 * @param attempts every source tried, in order, with the reason each earlier one failed
 */
public record FetchedDataset(
        KnownDataset dataset, Path dir, String source, Map<IdxFile, String> sha256, List<SourceAttempt> attempts) {
    public FetchedDataset {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(source, "source");
        sha256 = Map.copyOf(sha256);
        attempts = List.copyOf(attempts);
    }

    /** Reads and splits the files with the default held-out size and seed. */
    public DataSplits splits() {
        return DataSplits.fromDirectory(dir);
    }

    public DataSplits splits(int heldOutSize, long seed) {
        return DataSplits.fromDirectory(dir, heldOutSize, seed);
    }
}
