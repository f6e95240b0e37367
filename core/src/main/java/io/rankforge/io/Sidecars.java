package io.rankforge.io;

import java.nio.file.Path;

/** Where a model file's JSON sidecar lives: beside it, with the extension replaced by {@code .json}. */
public final class Sidecars {
    private Sidecars() {}

    /** {@code dir/name.zip} → {@code dir/name.json}. */
    public static Path pathOf(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }
}
