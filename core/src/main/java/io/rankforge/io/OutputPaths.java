package io.rankforge.io;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work, that an output can be written, without creating anything: the nearest existing folder on
 * the way to it must take a new file, which is proven by creating and deleting one there (permission bits do not
 * tell: root may "write" anywhere by them, yet not under /proc or on a read-only mount).
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * A file to be written (created or replaced).
     *
     * @param what how the message names it, e.g. "outputFile x.zip" (the CLI rewrites field names into flags)
     * @param example a file name to suggest when {@code out} is a directory, e.g. "model.zip"
     */
    public static void requireWritableFile(Path out, String what, String example) {
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UserInputException(what + " is a directory; give a file name such as " + example);
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new UserInputException(
                    what + " exists and is not a regular file; give a file name such as " + example);
        }
        probe(abs.getParent(), what);
    }

    /** A folder to be written into (created when missing). */
    public static void requireWritableFolder(Path dir, String what) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UserInputException(what + " is a file, not a folder; choose a folder");
        }
        probe(abs, what);
    }

    private static void probe(Path start, String what) {
        Path dir = start;
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserInputException(what + " cannot be written: " + (dir == null ? "it has no folder" : dir)
                    + " is not a folder; choose a path under a folder you can write to");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".rankforge-probe.", ".tmp"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new UserInputException(what + " cannot be written: " + dir + " does not take new files (" + oneLine(e)
                    + "); choose a folder you can write to");
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Listing.shorten(m);
    }
}
