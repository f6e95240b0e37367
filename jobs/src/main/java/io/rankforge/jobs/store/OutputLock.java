package io.rankforge.jobs.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per output folder: {@code OUT/_rankforge.lock} names the run that holds it (owner, host, pid,
 * start time, command). It is created in one create-if-absent (on HDFS an atomic NameNode operation; on a
 * local disk {@code O_EXCL}), so of two runs starting together one wins and the other stops with a line
 * naming the first (exit 2). A lock left by a run that was killed is stale: when its host is this machine
 * and its pid no longer runs, the lock is reported and taken over; a lock from another host cannot be
 * checked from here, so the message says how to remove it. Within one JVM the lock is reentrant (a
 * program may open several job contexts on one folder, one after another or nested).
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name under the output folder (Spark's readers skip names starting with "_"). */
    public static final String FILE = "_rankforge.lock";

    /** A lock file that does not parse is a writer's create in progress for this long, then stale. */
    static final Duration UNREADABLE_GRACE = Duration.ofMinutes(1);

    private static final Map<Path, OutputLock> HELD = new HashMap<>();

    private final ResultStore store;
    private final Path file;
    private final String id;
    private final Thread hook;
    /** True when taking the lock created the output folder: releasing it then removes the folder if still empty. */
    private final boolean createdFolder;

    private int holds = 1;

    private OutputLock(ResultStore store, Path file, String id, boolean createdFolder) {
        this.store = store;
        this.file = file;
        this.id = id;
        this.createdFolder = createdFolder;
        this.hook = new Thread(this::delete, "rankforge-lock-release");
    }

    /**
     * Takes the lock of {@code store}'s folder, or stops with a {@link UserInputException} naming the run
     * that holds it. A stale lock is reported through {@code report} and taken over.
     */
    public static synchronized OutputLock acquire(ResultStore store, Consumer<String> report) {
        Path file = store.path(FILE);
        OutputLock mine = HELD.get(file);
        if (mine != null) {
            mine.holds++;
            return mine;
        }
        String id = UUID.randomUUID().toString();
        // the lock lives in the output folder, so taking it may create the folder; a run that then fails its
        // validation leaves nothing behind, because the last release removes a folder it created and left empty
        boolean createdFolder = !store.exists(store.root()) && mkdirs(store);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (create(store, file, describe(id))) {
                OutputLock lock = new OutputLock(store, file, id, createdFolder);
                Runtime.getRuntime().addShutdownHook(lock.hook);
                HELD.put(file, lock);
                return lock;
            }
            Holder h = Holder.read(store, file);
            if (h == null) {
                continue; // released between our create and our read: try again
            }
            String stale = h.staleReason();
            if (stale == null) {
                throw new UserInputException("output " + store + " is in use by " + h.describe() + " (lock " + file
                        + "); wait for that run to end, or delete the lock file if it no longer runs");
            }
            report.accept("removing the stale lock of " + h.describe() + ": " + stale);
            Holder again = Holder.read(store, file);
            if (again != null && java.util.Objects.equals(again.id(), h.id())) {
                store.delete(file); // still the stale one, not a lock another run took meanwhile
            }
        }
        throw new UserInputException("output " + store + " is in use: its lock " + file
                + " was taken by another run while this one started; wait for that run to end");
    }

    /** This run's lock file content. */
    private static String describe(String id) {
        ObjectNode o = Json.object();
        o.put("lock_id", id);
        o.put("owner", System.getProperty("user.name", "?"));
        o.put("host", hostName());
        o.put("pid", ProcessHandle.current().pid());
        o.put("started_at", Instant.now().toString());
        String cmd = System.getProperty("sun.java.command", "");
        o.put("command", cmd.length() > 200 ? cmd.substring(0, 200) + "..." : cmd);
        return Json.pretty(o);
    }

    private static boolean mkdirs(ResultStore store) {
        try {
            return store.fs().mkdirs(store.root());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the output folder " + store.root() + ": " + e.getMessage(), e);
        }
    }

    /** Creates the file with {@code text} unless it exists; false when it exists. */
    private static boolean create(ResultStore store, Path file, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (store.fs() instanceof LocalFileSystem local) {
                // Hadoop's local create checks, then opens: not exclusive. O_EXCL is.
                Files.write(
                        local.pathToFile(file).toPath(),
                        bytes,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            }
            try (FSDataOutputStream out = store.fs().create(file, false)) {
                out.write(bytes);
            }
            return true;
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (store.exists(file)) {
                return false; // HDFS reports a racing create as an IOException of its own
            }
            throw new UncheckedIOException("cannot create the lock " + file + ": " + e.getMessage(), e);
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Releases one hold; the last one deletes the lock file (if it is still this run's). */
    @Override
    public void close() {
        synchronized (OutputLock.class) {
            if (holds <= 0 || --holds > 0) {
                return;
            }
            HELD.remove(file);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook deletes it
        }
        delete();
    }

    private void delete() {
        Holder h = Holder.read(store, file);
        if (h != null && id.equals(h.id())) {
            store.delete(file);
        }
        if (createdFolder) {
            try {
                FileStatus[] left = store.fs().listStatus(store.root());
                if (left.length == 0) {
                    store.fs().delete(store.root(), false);
                }
            } catch (IOException e) {
                // the folder is gone or unreadable: nothing of this run's to remove
            }
        }
    }

    /** Who holds a lock, as its file says. */
    record Holder(String id, String owner, String host, long pid, String startedAt, Instant modified) {
        /** The lock file's holder, null when there is none; an unreadable file yields a holder with a null id. */
        static Holder read(ResultStore store, Path file) {
            String text;
            Instant modified;
            try (InputStream in = store.rawFs().open(file)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                modified = Instant.ofEpochMilli(store.fs().getFileStatus(file).getModificationTime());
            } catch (FileNotFoundException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the lock " + file + ": " + e.getMessage(), e);
            }
            try {
                JsonNode o = Json.MAPPER.readTree(text);
                if (o != null && o.path("lock_id").isTextual() && o.path("pid").canConvertToLong()) {
                    return new Holder(
                            o.get("lock_id").asText(),
                            o.path("owner").asText("?"),
                            o.path("host").asText("?"),
                            o.get("pid").asLong(),
                            o.path("started_at").asText("?"),
                            modified);
                }
            } catch (IOException e) {
                // cut short: see staleReason
            }
            return new Holder(null, "?", "?", -1, "?", modified);
        }

        String describe() {
            if (id == null) {
                return "an unknown run (its lock file, written " + modified + ", does not parse)";
            }
            return "the run of " + owner + " on " + host + ", pid " + pid + ", started " + startedAt;
        }

        /** Why the lock is stale, or null when its holder may still run. */
        String staleReason() {
            if (id == null) {
                return modified.isBefore(Instant.now().minus(UNREADABLE_GRACE))
                        ? "its lock file is incomplete and older than " + UNREADABLE_GRACE.toSeconds() + " s"
                        : null;
            }
            if (!host.equals(hostName())) {
                return null; // another machine's process cannot be checked from here
            }
            if (pid == ProcessHandle.current().pid()) {
                return "this process (pid " + pid + ") does not hold it: left by an earlier process with this pid";
            }
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    ? null
                    : "pid " + pid + " no longer runs on this host";
        }
    }
}
