package io.rankforge.io;

import io.rankforge.UserInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.UUID;

/**
 * Local-file writes that never leave a half-written file: write beside the target, then rename. The result gets the
 * mode any new file of the user gets (0666 less the umask), or the mode of the file it replaces: not the 0600 of
 * {@link Files#createTempFile}, which would hide results from the user's group.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} through {@code writer}. A target that cannot be written (no folder can be created for it,
     * the folder takes no new files, the rename fails) is a {@link UserInputException} naming it; a failure of the
     * writer itself stays an {@link UncheckedIOException}.
     */
    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path tmp = createTempBeside(abs, target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                writer.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            try {
                keepModeOf(abs, tmp);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UserInputException("output " + target + " cannot be written (" + e.getMessage()
                        + "); choose a path you can write to");
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a hidden .tmp file is left beside the target, the target itself is intact
            }
        }
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A new, empty, hidden file beside {@code target}, created with the default mode (0666 less the umask), in a
     * folder created when missing; a folder that cannot be made or written is a {@link UserInputException}.
     */
    public static Path createTempBeside(Path target, Path named) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
            // CREATE_NEW with no attributes: the operating system applies the umask, as for any file the user makes
            Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                    .close();
            return tmp;
        } catch (IOException | UnsupportedOperationException e) {
            throw new UserInputException(
                    "output " + named + " cannot be written (" + e.getMessage() + "); choose a path you can write to");
        }
    }

    /** A replaced file keeps its mode (as a shell redirection keeps it). */
    private static void keepModeOf(Path target, Path tmp) throws IOException {
        if (!Files.isRegularFile(target)) {
            return;
        }
        PosixFileAttributeView from = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (from != null && to != null) {
            to.setPermissions(from.readAttributes().permissions());
        }
    }
}
