package io.rankforge.data;

import io.rankforge.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A folder holding the four IDX files of an MNIST-family dataset, each either uncompressed or as .gz
 * (the uncompressed file wins when both are there).
 */
public record IdxDirectory(Path dir, Map<IdxFile, Path> files) {
    public IdxDirectory {
        files = Map.copyOf(files);
        if (files.size() != IdxFile.values().length) {
            throw new IllegalArgumentException("files must name all four IDX files");
        }
    }

    /** The four files in {@code dir}; a missing folder or file is a UserInputException naming it. */
    public static IdxDirectory of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("dataset directory " + dir + " does not exist or is not a directory; "
                    + "run `rankforge data fetch` or pass a folder holding the four IDX files");
        }
        Map<IdxFile, Path> found = new EnumMap<>(IdxFile.class);
        List<String> missing = new ArrayList<>();
        for (IdxFile f : IdxFile.values()) {
            Optional<Path> p = locate(dir, f);
            if (p.isPresent()) {
                found.put(f, p.get());
            } else {
                missing.add(f.fileName() + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new UserInputException("dataset directory " + dir + " lacks " + String.join(", ", missing)
                    + "; run `rankforge data fetch` or pass a folder holding the four IDX files");
        }
        return new IdxDirectory(dir, found);
    }

    /** True when {@code dir} holds all four files (raw or .gz). */
    public static boolean isComplete(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (IdxFile f : IdxFile.values()) {
            if (locate(dir, f).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    static Optional<Path> locate(Path dir, IdxFile f) {
        Path raw = dir.resolve(f.fileName());
        if (Files.isRegularFile(raw)) {
            return Optional.of(raw);
        }
        Path gz = dir.resolve(f.gzFileName());
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        return Optional.empty();
    }

    public Path file(IdxFile f) {
        return files.get(f);
    }

    /** The 60,000 training images (before the held-out split). */
    public ImageDataset readTrain() {
        return read(IdxFile.TRAIN_IMAGES, IdxFile.TRAIN_LABELS);
    }

    /** The 10,000 test images. */
    public ImageDataset readTest() {
        return read(IdxFile.TEST_IMAGES, IdxFile.TEST_LABELS);
    }

    private ImageDataset read(IdxFile images, IdxFile labels) {
        IdxImages im = IdxReader.readImages(file(images));
        int[] l = IdxReader.readLabels(file(labels));
        if (im.count() != l.length) {
            throw new UserInputException("dataset files " + file(images) + " (" + im.count() + " images) and "
                    + file(labels) + " (" + l.length + " labels) do not match; fetch the dataset again");
        }
        for (int i = 0; i < l.length; i++) {
            if (l[i] >= ImageDataset.CLASSES) {
                throw new UserInputException("label file " + file(labels) + " holds label " + l[i] + " at index " + i
                        + ", outside 0-9; fetch the dataset again");
            }
        }
        return ImageDataset.fromIdx(im, l);
    }
}
