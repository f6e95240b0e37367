package io.rankforge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths of the repository's reference data ({@code reference/}: the ENC authors' profiles and ResNet-56 model,
 * the PCHIP vectors), resolved from the repository root that surefire passes as -Drankforge.repo.root.
 */
public final class ReferenceData {
    private ReferenceData() {}

    public static Path repoRoot() {
        String root = System.getProperty("rankforge.repo.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property rankforge.repo.root is not set: run the tests through "
                    + "Maven (surefire sets it to the repository root)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** A path under {@code reference/}; fails clearly when it is missing (tests never skip silently). */
    public static Path reference(String relative) {
        Path p = repoRoot().resolve("reference").resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException(
                    "reference data " + p + " is missing: it is part of the repository (reference/); restore it "
                            + "with `git checkout -- reference`");
        }
        return p;
    }
}
