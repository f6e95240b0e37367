package io.rankforge.jobs.exec;

import io.rankforge.data.IdxImages;
import io.rankforge.data.ImageDataset;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Images as they travel to executors: the original unsigned bytes (4× smaller than floats, and
 * exact: the dataset's values are byte/255) plus labels, with a digest that executors cache the
 * decoded {@link ImageDataset} by. Broadcast once; decoded once per executor JVM.
 *
 * @param name   what the images are (e.g. "test", "held-out")
 * @param digest SHA-256 of pixels, labels and shape
 */
public record DataBlob(String name, String digest, int count, int rows, int cols, byte[] pixels, int[] labels)
        implements Serializable {
    public DataBlob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        if ((long) count * rows * cols != pixels.length || labels.length != count) {
            throw new IllegalArgumentException(
                    "blob " + name + ": shape " + count + "x" + rows + "x" + cols + " does not match its arrays");
        }
    }

    /** Packs a dataset (values in [0, 1], multiples of 1/255) back into bytes. */
    public static DataBlob of(String name, ImageDataset data) {
        int n = data.size(), h = data.height(), w = data.width();
        float[] f = data.features().castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[] px = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            px[i] = (byte) Math.round(Math.max(0f, Math.min(1f, f[i])) * 255f);
        }
        int[] labels = data.labels();
        return new DataBlob(name, digest(n, h, w, px, labels), n, h, w, px, labels);
    }

    public ImageDataset decode() {
        return ImageDataset.fromIdx(new IdxImages(count, rows, cols, pixels), labels);
    }

    public int size() {
        return count;
    }

    private static String digest(int n, int h, int w, byte[] px, int[] labels) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(12).putInt(n).putInt(h).putInt(w).array());
            md.update(px);
            ByteBuffer lb = ByteBuffer.allocate(4 * labels.length);
            for (int l : labels) {
                lb.putInt(l);
            }
            md.update(lb.array());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
