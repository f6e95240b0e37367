package io.rankforge.jobs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared reference folder beside the repository root (-Drankforge.repo.root, set by surefire); in a git
 * worktree, beside the main checkout.
 */
final class SharedPaths {
    private SharedPaths() {}

    static Path shared(String relative) {
        String root = System.getProperty("rankforge.repo.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("rankforge.repo.root is not set: run the tests through Maven");
        }
        Path r = Path.of(root).toAbsolutePath().normalize();
        Path dir = r.resolveSibling("shared");
        Path dotGit = r.resolve(".git");
        if (!Files.isDirectory(dir) && Files.isRegularFile(dotGit)) {
            try {
                String line = Files.readString(dotGit).trim();
                if (line.startsWith("gitdir:")) {
                    dir = Path.of(line.substring(7).trim())
                            .getParent()
                            .getParent()
                            .getParent()
                            .resolveSibling("shared");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path p = dir.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(
                    "reference data " + p + " is missing: the shared folder must sit beside the repository");
        }
        return p;
    }
}
