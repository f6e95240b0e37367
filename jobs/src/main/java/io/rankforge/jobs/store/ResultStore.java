package io.rankforge.jobs.store;

import io.rankforge.UserInputException;
import io.rankforge.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder of an experiment, on any Hadoop filesystem (file://, hdfs://, s3a://, ...).
 *
 * <pre>
 * OUT/profiles/  sensitivity/  selections/  candidates/  trials/  validation/   Parquet tables
 * OUT/trials.arrow                     the trials table as an Arrow IPC file
 * OUT/&lt;table&gt;/_rankforge.json            resolved configuration + provenance of the run that wrote it
 * OUT/_journal/trials/batch-*.manifest.json   committed trial batches, each listing its data-&lt;attempt&gt; folder
 * OUT/_runs/&lt;job&gt;-&lt;time&gt;.json            one record per job run
 * OUT/_rankforge.lock                  the writer holding the folder ({@link OutputLock})
 * </pre>
 *
 * <p>Whether a rename is atomic decides how a folder is replaced (docs/storage.md): on a filesystem
 * whose rename is atomic (file, HDFS) a table folder is renamed into place; elsewhere (object stores,
 * where a rename is a copy and a delete) its files are moved one by one with the {@code _SUCCESS}
 * marker last, so that a table is either complete or reported missing, never read half-written.
 */
public final class ResultStore {
    /**
     * Hadoop configuration key ({@code spark.hadoop.rankforge.store.atomic-rename} in Spark settings)
     * that overrides the scheme's default: {@code true} or {@code false}.
     */
    public static final String ATOMIC_RENAME_KEY = "rankforge.store.atomic-rename";

    /** Schemes whose rename of a file or folder is one atomic metadata operation. */
    static final Set<String> ATOMIC_RENAME_SCHEMES = Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs");

    private final FileSystem fs;
    private final Path root;
    private final boolean atomicRename;

    private ResultStore(FileSystem fs, Path root, boolean atomicRename) {
        this.fs = fs;
        this.root = root;
        this.atomicRename = atomicRename;
    }

    /** Whether renames on this filesystem are atomic: the configured override, else by the scheme. */
    static boolean atomicRename(FileSystem fs, Configuration hadoop) {
        String forced = hadoop.getTrimmed(ATOMIC_RENAME_KEY, "");
        if (!forced.isEmpty()) {
            return Boolean.parseBoolean(forced);
        }
        String scheme = fs.getUri().getScheme();
        return scheme != null && ATOMIC_RENAME_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /**
     * Opens the output folder and proves it can be written, so that an unreachable or read-only output fails before
     * any Spark task runs. A missing folder is not created here (the first table, record or journal batch creates
     * it): a run that then fails on its input leaves nothing behind. Writability is proven by creating and deleting
     * a probe file in the folder, or in its nearest existing ancestor. {@code what} names the configuration key.
     */
    public static ResultStore open(String output, Configuration hadoop, String what) {
        Path root;
        FileSystem fs;
        try {
            root = new Path(output);
            fs = root.getFileSystem(hadoop);
            root = fs.makeQualified(root);
        } catch (Exception e) {
            throw new UserInputException(
                    "output " + output + " (" + what + ") cannot be opened: " + e.getMessage()
                            + "; use a local folder or a reachable Hadoop filesystem URI",
                    e);
        }
        try {
            Path existing = root;
            while (existing != null && !fs.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !fs.getFileStatus(existing).isDirectory()) {
                throw new UserInputException("output " + output + " (" + what + ") "
                        + (existing.equals(root)
                                ? "is a file"
                                : "cannot be written: it lies under the file " + existing)
                        + ", not a folder; choose a folder");
            }
            Path probe = new Path(existing == null ? root : existing, "._probe-" + UUID.randomUUID());
            try (FSDataOutputStream out = fs.create(probe, false)) {
                out.write(1);
            }
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new UserInputException(
                    "output " + output + " (" + what + ") cannot be written: " + e.getMessage()
                            + "; choose a folder you can write to",
                    e);
        }
        return new ResultStore(fs, root, atomicRename(fs, hadoop));
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return root;
    }

    /**
     * The filesystem without Hadoop's client-side checksums (a local disk's {@code .crc} files), for small
     * files whose completeness the reader checks itself: a file cut short by a crash must read as cut
     * short, not as a checksum error logged with a stack trace.
     */
    public FileSystem rawFs() {
        return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    }

    /** Whether a rename on this store is atomic (else folders are moved file by file, markers last). */
    public boolean atomicRename() {
        return atomicRename;
    }

    /** The folder of a table, e.g. OUT/trials. */
    public Path table(String name) {
        return new Path(root, name);
    }

    /** The URI string of a table folder (what spark.read().parquet takes). */
    public String tableUri(String name) {
        return table(name).toString();
    }

    public Path path(String relative) {
        return new Path(root, relative);
    }

    public boolean exists(Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + p + ": " + e.getMessage(), e);
        }
    }

    /** Whether a table was written completely (Spark's _SUCCESS marker). */
    public boolean hasTable(String name) {
        return exists(new Path(table(name), "_SUCCESS"));
    }

    /** Writes a small text file atomically: a hidden temp file beside it, then a rename. */
    public void writeText(Path target, String text) {
        Path tmp = tempBeside(target);
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            replace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the local file {@code local} onto {@code target}, whole or not at all: into a hidden temp file beside
     * the target, then {@link #replace}d into place.
     */
    public void upload(java.nio.file.Path local, Path target) {
        Path tmp = tempBeside(target);
        try {
            fs.mkdirs(target.getParent());
            fs.copyFromLocalFile(false, true, new Path(local.toAbsolutePath().toUri()), tmp);
            replace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + " from " + local + ": " + e.getMessage(), e);
        }
    }

    /** Copies {@code source} of this store to the local file {@code local}, whole or not at all (AtomicFiles). */
    public void download(Path source, java.nio.file.Path local) {
        AtomicFiles.write(local, out -> {
            try (InputStream in = fs.open(source)) {
                in.transferTo(out);
            }
        });
    }

    /** A hidden name beside {@code target} for a file written there first and renamed into place. */
    private static Path tempBeside(Path target) {
        return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    }

    public String readText(Path p) {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves {@code source} onto {@code target}, replacing it (delete then rename where the FS cannot overwrite).
     * A folder on a store without atomic rename is moved file by file instead ({@link #moveMarkersLast}).
     */
    public void replace(Path source, Path target) throws IOException {
        if (!atomicRename && fs.getFileStatus(source).isDirectory()) {
            moveMarkersLast(source, target);
            return;
        }
        if (fs.exists(target)) {
            Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(target, old)) {
                throw new IOException("cannot move " + target + " aside");
            }
            FaultPoints.reach("store-swap"); // the old one aside, the new one not yet in place
            if (!fs.rename(source, target)) {
                fs.rename(old, target);
                throw new IOException("cannot rename " + source + " to " + target);
            }
            fs.delete(old, true);
        } else if (!fs.rename(source, target)) {
            throw new IOException("cannot rename " + source + " to " + target);
        }
    }

    /**
     * Replaces folder {@code target} by {@code source} without a folder rename: the old {@code _SUCCESS} is
     * deleted first (the table reads as missing from then on), then the old folder; the data files are moved
     * one by one (on an object store a single object appears whole or not at all), the files starting with
     * "_" last and {@code _SUCCESS} very last. A crash part-way leaves a folder without {@code _SUCCESS}:
     * {@link #hasTable} says it is missing and the job that writes it rebuilds it.
     */
    void moveMarkersLast(Path source, Path target) throws IOException {
        Path success = new Path(target, "_SUCCESS");
        if (fs.exists(success) && !fs.delete(success, false)) {
            throw new IOException("cannot delete " + success);
        }
        if (fs.exists(target) && !fs.delete(target, true)) {
            throw new IOException("cannot delete " + target);
        }
        fs.mkdirs(target);
        List<FileStatus> files = new ArrayList<>(Arrays.asList(fs.listStatus(source)));
        files.sort((a, b) ->
                Integer.compare(rank(a.getPath().getName()), rank(b.getPath().getName())));
        for (FileStatus f : files) {
            if (f.getPath().getName().equals("_SUCCESS")) {
                FaultPoints.reach("store-move"); // the data moved, the marker not yet
            }
            Path to = new Path(target, f.getPath().getName());
            if (!fs.rename(f.getPath(), to)) {
                throw new IOException("cannot move " + f.getPath() + " to " + to);
            }
        }
        fs.delete(source, true);
    }

    /** The order of moving: data first, then the other "_" files, {@code _SUCCESS} last. */
    private static int rank(String name) {
        if (name.equals("_SUCCESS")) {
            return 2;
        }
        return name.startsWith("_") || name.startsWith(".") ? 1 : 0;
    }

    /** Files in a folder whose name starts with {@code prefix} and ends with {@code suffix}, sorted by name. */
    public List<Path> list(Path dir, String prefix, String suffix) {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            FileStatus[] st = fs.listStatus(
                    dir, p -> p.getName().startsWith(prefix) && p.getName().endsWith(suffix));
            List<Path> out = new ArrayList<>();
            Arrays.stream(st).map(FileStatus::getPath).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    public void delete(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
