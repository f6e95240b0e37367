package io.rankforge.jobs.exec;

import java.io.Serializable;
import java.util.Objects;

/**
 * A model file as it travels to executors (broadcast once, fetched once per executor): its bytes,
 * its SHA-256 digest (the key of the executor-side cache) and its file name (the loader picks the
 * format by extension).
 */
public record ModelBlob(String name, String digest, String fileName, byte[] bytes) implements Serializable {
    public ModelBlob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String toString() {
        return "ModelBlob[" + name + ", " + digest.substring(0, Math.min(12, digest.length())) + ", " + bytes.length
                + " bytes]";
    }
}
