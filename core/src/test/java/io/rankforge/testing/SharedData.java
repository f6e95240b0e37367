package io.rankforge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths of the shared reference data: &lt;repo root&gt;/../shared, the root from -Drankforge.repo.root (set by
 * surefire).
 */
public final class SharedData {
    private SharedData() {}

    public static Path repoRoot() {
        String root = System.getProperty("rankforge.repo.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException(
                    "system property rankforge.repo.root is not set: run the tests through Maven (surefire "
                            + "sets it to the repository root)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /**
     * The shared folder: -Drankforge.shared.dir if set, else &lt;root&gt;/../shared; in a git worktree whose
     * sibling has no shared folder, the main checkout's sibling (the worktree's .git file names it).
     */
    public static Path sharedDir() {
        String explicit = System.getProperty("rankforge.shared.dir");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        Path root = repoRoot();
        Path beside = root.resolveSibling("shared");
        if (Files.isDirectory(beside)) {
            return beside;
        }
        Path dotGit = root.resolve(".git");
        if (Files.isRegularFile(dotGit)) {
            try {
                String line = Files.readString(dotGit).trim();
                if (line.startsWith("gitdir:")) {
                    // <main>/.git/worktrees/<name> -> <main>/../shared
                    Path gitDir = Path.of(line.substring("gitdir:".length()).trim());
                    Path main = gitDir.getParent().getParent().getParent();
                    Path s = main.resolveSibling("shared");
                    if (Files.isDirectory(s)) {
                        return s;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return beside;
    }

    /** A path under the shared folder; fails clearly when it is missing (tests never skip silently). */
    public static Path shared(String relative) {
        Path p = sharedDir().resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException(
                    "reference data " + p + " is missing: the shared folder must sit beside the repository "
                            + "(<root>/../shared) or be named by -Drankforge.shared.dir");
        }
        return p;
    }
}
