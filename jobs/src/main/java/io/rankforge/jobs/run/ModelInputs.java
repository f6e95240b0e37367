package io.rankforge.jobs.run;

import io.rankforge.UserInputException;
import io.rankforge.decompose.DecompositionPlan;
import io.rankforge.importer.onnx.OnnxFiles;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.model.LoadedModel;
import io.rankforge.model.ModelLoader;
import io.rankforge.model.NetworkDescriber;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds, reads and checks the experiment's models on the driver: every path of
 * {@code rankforge.experiment.models} and every model file in {@code model-dir}, on any Hadoop
 * filesystem. A missing file or a file that is not a model fails here, naming it and the key,
 * before any Spark job starts.
 */
public final class ModelInputs {
    /** Extensions a model folder is scanned for. */
    public static final List<String> EXTENSIONS = List.of(".zip", ".h5", ".caffemodel", ".onnx");

    private ModelInputs() {}

    public static List<ModelInput> resolve(JobConfig config, Configuration hadoop) {
        var exp = config.experiment();
        String where = config.settings().source();
        if (!exp.hasModels()) {
            throw new UserInputException(
                    "no models to study: set rankforge.experiment.models (a list of model files) or "
                            + "rankforge.experiment.model-dir in " + where);
        }
        List<Path> paths = new ArrayList<>();
        for (String m : exp.models()) {
            paths.add(new Path(m));
        }
        if (!exp.modelDir().isBlank()) {
            paths.addAll(scan(exp.modelDir(), hadoop, config.settings().where("rankforge.experiment.model-dir")));
        }
        List<ModelInput> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (Path p : paths) {
            ModelInput m = read(p, hadoop, config.settings().where("rankforge.experiment.models"));
            if (!digests.add(m.digest())) {
                continue; // the same file listed twice is one model
            }
            String name = m.name();
            if (!names.add(name)) {
                name = name + "-" + m.digest().substring(0, 8);
                names.add(name);
                m = new ModelInput(
                        name,
                        m.uri(),
                        new ModelBlob(
                                name, m.digest(), m.blob().fileName(), m.blob().bytes()),
                        m.loaded(),
                        m.plan());
            }
            out.add(m);
        }
        return List.copyOf(out);
    }

    private static List<Path> scan(String dir, Configuration hadoop, String where) {
        try {
            Path d = new Path(dir);
            FileSystem fs = d.getFileSystem(hadoop);
            if (!fs.exists(d) || !fs.getFileStatus(d).isDirectory()) {
                throw new UserInputException("model folder " + dir + " (rankforge.experiment.model-dir in " + where
                        + ") does not exist or is not a folder");
            }
            FileStatus[] st = fs.listStatus(
                    d,
                    p -> EXTENSIONS.stream()
                            .anyMatch(e -> p.getName().toLowerCase(Locale.ROOT).endsWith(e)));
            List<Path> out = new ArrayList<>();
            Arrays.stream(st).map(FileStatus::getPath).sorted().forEach(out::add);
            if (out.isEmpty()) {
                throw new UserInputException("model folder " + dir + " (rankforge.experiment.model-dir in " + where
                        + ") holds no model file (" + String.join(", ", EXTENSIONS) + ")");
            }
            return out;
        } catch (IOException e) {
            throw new UserInputException(
                    "model folder " + dir + " (rankforge.experiment.model-dir in " + where + ") cannot be read: "
                            + e.getMessage(),
                    e);
        }
    }

    private static ModelInput read(Path p, Configuration hadoop, String where) {
        byte[] bytes;
        FileSystem fs;
        Path qualified;
        try {
            fs = p.getFileSystem(hadoop);
            qualified = fs.makeQualified(p);
            if (!fs.exists(qualified) || !fs.getFileStatus(qualified).isFile()) {
                throw new UserInputException("model file " + p + " (rankforge.experiment.models in " + where
                        + ") does not exist or is not a file; "
                        + "train one with `rankforge zoo train` or fix the path");
            }
            // the whole file is sent to the executors: bounded like every model read (docs/reliability.md)
            long limit = InputLimits.current().modelBytes();
            String what = "model file " + p + " (rankforge.experiment.models in " + where + ")";
            BoundedInput.checkDeclared(fs.getFileStatus(qualified).getLen(), limit, what, "model-bytes");
            try (InputStream in = BoundedInput.open(fs.open(qualified), limit, what, "model-bytes")) {
                bytes = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UserInputException(
                    "model file " + p + " (rankforge.experiment.models in " + where + ") cannot be read: "
                            + e.getMessage(),
                    e);
        }
        String fileName = qualified.getName();
        LoadedModel loaded;
        try {
            java.nio.file.Path local;
            if (fs instanceof LocalFileSystem || "file".equals(qualified.toUri().getScheme())) {
                local = java.nio.file.Path.of(qualified.toUri());
            } else {
                java.nio.file.Path dir = Files.createTempDirectory("rankforge-model-");
                local = dir.resolve(fileName);
                Files.write(local, bytes);
                local.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
            }
            loaded = ModelLoader.load(local);
            if (fileName.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                // executors get one file: an ONNX model's external weights (model.onnx.data) are inlined
                bytes = OnnxFiles.selfContained(local);
            }
        } catch (UserInputException e) {
            throw new UserInputException(
                    "model file " + p + " (rankforge.experiment.models in " + where + "): " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException(
                    "model file " + p + " (rankforge.experiment.models in " + where
                            + ") is not a model RankForge can load: " + e.getMessage(),
                    e);
        }
        String digest = sha256(bytes);
        DecompositionPlan plan =
                DecompositionPlan.withDefaultSchemes(NetworkDescriber.describe(loaded.model(), loaded.inputType()));
        String name = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        return new ModelInput(name, qualified.toString(), new ModelBlob(name, digest, fileName, bytes), loaded, plan);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
