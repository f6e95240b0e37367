package io.rankforge.data;

import io.rankforge.UserInputException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The datasets RankForge knows how to find and verify, with the SHA-256 digests of their genuine files.
 * The digests of the uncompressed IDX files apply whatever the source; the .gz digests are checked
 * when a source ships the canonical .gz files and we know their digest.
 */
public enum KnownDataset {
    /** Zalando's Fashion-MNIST (MIT licence): 60,000 training and 10,000 test images of clothing. */
    FASHION_MNIST(
            "fashion-mnist",
            digests(
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            digests(
                    "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
                    "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
                    "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
                    "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
            List.of(
                    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
    /** LeCun, Cortes and Burges' MNIST handwritten digits: 60,000 training and 10,000 test images. */
    MNIST(
            "mnist",
            digests(
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            // the .gz digests depend on the mirror's compression; only the uncompressed digests are checked
            new EnumMap<>(IdxFile.class),
            List.of(
                    "https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/",
                    "http://yann.lecun.com/exdb/mnist/"));

    /** Images and labels per split of the MNIST family. */
    public static final int TRAIN_SIZE = 60_000;

    public static final int TEST_SIZE = 10_000;

    private final String id;
    private final Map<IdxFile, String> rawSha256;
    private final Map<IdxFile, String> gzSha256;
    private final List<String> baseUrls;

    KnownDataset(String id, Map<IdxFile, String> rawSha256, Map<IdxFile, String> gzSha256, List<String> baseUrls) {
        this.id = id;
        this.rawSha256 = Map.copyOf(rawSha256);
        this.gzSha256 = gzSha256.isEmpty() ? Map.of() : Map.copyOf(gzSha256);
        this.baseUrls = List.copyOf(baseUrls);
    }

    /** The name used on the command line and as the cache folder, e.g. {@code fashion-mnist}. */
    public String id() {
        return id;
    }

    /** SHA-256 (lower-case hex) of the genuine uncompressed file. */
    public String rawSha256(IdxFile file) {
        return rawSha256.get(file);
    }

    /** SHA-256 of the canonical .gz file, where recorded. */
    public Optional<String> gzSha256(IdxFile file) {
        return Optional.ofNullable(gzSha256.get(file));
    }

    /** Public download locations holding the four .gz files, tried in order. */
    public List<String> baseUrls() {
        return baseUrls;
    }

    /** The dataset named {@code id} on the command line; an unknown name lists the known ones. */
    public static KnownDataset byId(String id) {
        for (KnownDataset d : values()) {
            if (d.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return d;
            }
        }
        throw new UserInputException("unknown dataset '" + id + "'; known datasets: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(KnownDataset::id).collect(Collectors.joining(", "));
    }

    private static Map<IdxFile, String> digests(
            String trainImages, String trainLabels, String testImages, String testLabels) {
        Map<IdxFile, String> m = new EnumMap<>(IdxFile.class);
        m.put(IdxFile.TRAIN_IMAGES, trainImages);
        m.put(IdxFile.TRAIN_LABELS, trainLabels);
        m.put(IdxFile.TEST_IMAGES, testImages);
        m.put(IdxFile.TEST_LABELS, testLabels);
        return m;
    }
}
