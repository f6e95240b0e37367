package io.rankforge.profile;

import io.rankforge.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a profile from a path: a reference-layout folder or a profile JSON file. */
public final class Profiles {
    private Profiles() {}

    public static NetworkProfile load(Path path) {
        if (Files.isDirectory(path)) {
            return ReferenceProfileReader.read(path);
        }
        if (Files.isRegularFile(path)) {
            return ProfileJson.read(path);
        }
        throw new UserInputException("profilePath " + path
                + " does not exist: give a profile JSON file (as the profile command writes) or a folder with "
                + ReferenceProfileReader.NET_DEF + ", " + ReferenceProfileReader.R_LIST + " and "
                + ReferenceProfileReader.A_NORM);
    }
}
