package io.rankforge.jobs.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A local disk that renames the way an object store does (scheme {@code narfs}): every file is copied
 * (each copy appears whole, as an object does), then the sources are deleted; a folder's rename is
 * visible half-done while it runs. {@link #crashAtStep} injects a crash between two steps (after the
 * n-th file copied, or after the last copy and before the delete) by throwing {@link InjectedCrash}:
 * what a process killed there would leave on the store.
 */
public final class NonAtomicRenameFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "narfs";
    private static final URI NAME = URI.create(SCHEME + ":///");

    /** Steps taken since {@link #crashAtStep} (every file copied, every delete that ends a rename). */
    private static final AtomicInteger STEPS = new AtomicInteger();

    private static volatile int crashAt = -1;

    /** Thrown where the process would have died. */
    public static final class InjectedCrash extends RuntimeException {
        InjectedCrash(String where) {
            super("injected crash " + where);
        }
    }

    /** Crash at the {@code step}-th rename step from now (-1: never); resets the step count. */
    public static void crashAtStep(int step) {
        STEPS.set(0);
        crashAt = step;
    }

    /** Rename steps taken since the last {@link #crashAtStep}. */
    public static int steps() {
        return STEPS.get();
    }

    /** Registers the scheme in a Hadoop configuration. */
    public static void register(org.apache.hadoop.conf.Configuration conf) {
        conf.set("fs." + SCHEME + ".impl", NonAtomicRenameFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        if (!exists(src)) {
            return false;
        }
        Path target = dst;
        if (exists(dst)) {
            if (!getFileStatus(dst).isDirectory()) {
                return false;
            }
            target = new Path(dst, src.getName());
            if (exists(target)) {
                return false;
            }
        }
        List<Path[]> copies = new ArrayList<>();
        plan(src, target, copies);
        for (Path[] c : copies) {
            if (c[0] == null) {
                mkdirs(c[1]);
                continue;
            }
            mkdirs(c[1].getParent());
            // each copy appears whole (written beside, then moved by the OS), like an object PUT/COPY
            java.nio.file.Path to = pathToFile(c[1]).toPath();
            java.nio.file.Path tmp = to.resolveSibling(".copying-" + to.getFileName());
            Files.copy(pathToFile(c[0]).toPath(), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
            step("after copying " + c[0] + " to " + c[1]);
        }
        step("after copying " + src + ", before deleting it");
        return delete(src, true);
    }

    private void plan(Path src, Path dst, List<Path[]> out) throws IOException {
        FileStatus st;
        try {
            st = getFileStatus(src);
        } catch (FileNotFoundException e) {
            return;
        }
        if (!st.isDirectory()) {
            out.add(new Path[] {src, dst});
            return;
        }
        out.add(new Path[] {null, dst});
        for (FileStatus c : listStatus(src)) {
            plan(c.getPath(), new Path(dst, c.getPath().getName()), out);
        }
    }

    private static void step(String where) {
        if (STEPS.incrementAndGet() == crashAt) {
            crashAt = -1;
            throw new InjectedCrash(where);
        }
    }
}
