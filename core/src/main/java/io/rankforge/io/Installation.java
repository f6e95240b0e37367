package io.rankforge.io;

import java.nio.file.Path;

/**
 * Where RankForge is installed: the folder that holds {@code conf/}, {@code reference/} and the git checkout.
 * {@code bin/rankforge} passes it as the system property {@code rankforge.home}; the tests pass the repository root
 * as {@code rankforge.repo.root}; otherwise it is the working folder.
 */
public final class Installation {
    private Installation() {}

    /** The installation folder (not checked to exist: callers say which file they looked for). */
    public static Path home() {
        return Path.of(System.getProperty("rankforge.home", System.getProperty("rankforge.repo.root", ".")));
    }
}
