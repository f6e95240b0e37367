package io.rankforge.jobs.store;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
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
 * OUT/_journal/trials/batch-*.parquet   committed trial batches (the sweep's resume state)
 * OUT/_runs/&lt;job&gt;-&lt;time&gt;.json            one record per job run
 * </pre>
 */
public final class ResultStore {
    private final FileSystem fs;
    private final Path root;

    private ResultStore(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
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
        return new ResultStore(fs, root);
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return root;
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
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
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

    public String readText(Path p) {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Moves {@code source} onto {@code target}, replacing it (delete then rename where the FS cannot overwrite). */
    public void replace(Path source, Path target) throws IOException {
        if (fs.exists(target)) {
            Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(target, old)) {
                throw new IOException("cannot move " + target + " aside");
            }
            if (!fs.rename(source, target)) {
                fs.rename(old, target);
                throw new IOException("cannot rename " + source + " to " + target);
            }
            fs.delete(old, true);
        } else if (!fs.rename(source, target)) {
            throw new IOException("cannot rename " + source + " to " + target);
        }
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
