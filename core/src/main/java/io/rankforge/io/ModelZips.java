package io.rankforge.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * DL4J model zips whose bytes depend on the network alone. DL4J's ModelSerializer stamps every entry with the time of
 * writing, so two saves of the same network differ, and with them the model's SHA-256 from which a sweep's trial ids
 * and task seeds derive: two fresh quickstarts that trained the very same weights drew different samples. Here the
 * entries (the same names, order and contents as ModelSerializer's) carry one fixed time instead.
 */
public final class ModelZips {
    /** Every entry's time: the earliest a zip can hold, given as a local date-time so that no time zone enters. */
    public static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private ModelZips() {}

    /** Writes {@code model} (no updater state) as ModelSerializer does, with {@link #ENTRY_TIME} on every entry. */
    public static void write(Model model, OutputStream out) throws IOException {
        Path serialized = Files.createTempFile("rankforge-model", ".zip");
        try {
            ModelSerializer.writeModel(model, serialized.toFile(), false);
            try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(serialized)));
                    ZipOutputStream zip = new ZipOutputStream(out)) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTimeLocal(ENTRY_TIME);
                    zip.putNextEntry(copy);
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
        } finally {
            Files.deleteIfExists(serialized);
        }
    }
}
