package io.rankforge.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.export.OnnxExporter;
import io.rankforge.jobs.Main;
import io.rankforge.jobs.cli.CliRun;
import io.rankforge.zoo.ZooArchitecture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input suite (docs/reliability.md): every case drives the real CLI entry point with one kind of bad input
 * (arguments, ranks files, model files of every format, datasets, HOCON configurations, output paths) and asserts
 * the promise: exit code 2, exactly one line on stderr that names the input, of bounded length, no stack trace, and
 * nothing new in the folder the case works in. Most cases run in this JVM through {@link Main#run}; the ones built
 * to exhaust memory run in a child JVM with a 256 MiB heap, a 256 MiB JavaCPP limit and a 1 GiB memory bound, and
 * must fail inside them (with the model and dataset limits lowered below that heap, so each bomb is built in
 * seconds).
 */
class BadInputSuiteTest {
    static Path fixtures;
    static Path lenet;
    static byte[] onnx;
    static SparkSession spark;

    /** One case: the arguments it runs, made in its own folder, and the text its error line must contain. */
    interface Setup {
        Input make(Path dir) throws Exception;
    }

    record Input(List<String> args, String names) {
        static Input of(String names, String... args) {
            return new Input(List.of(args), names);
        }
    }

    @BeforeAll
    static void fixtures() throws Exception {
        fixtures = Files.createTempDirectory("rankforge-bad-input-");
        // an untrained lenet5 is a valid model: every case here fails before its weights matter
        MultiLayerNetwork net =
                (MultiLayerNetwork) ZooArchitecture.byId("lenet5").build(7);
        lenet = fixtures.resolve("lenet5.zip");
        ModelSerializer.writeModel(net, lenet.toFile(), false);
        onnx = OnnxExporter.toOnnx(net, ZooArchitecture.byId("lenet5").inputType(), "test")
                .toByteArray();
        // the --conf cases reuse this session (their commands leave a running session running)
        spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() throws IOException {
        spark.stop();
        try (Stream<Path> s = Files.walk(fixtures)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<Arguments> inProcess() {
        return inProcessCases().stream();
    }

    static Stream<Arguments> childJvm() {
        return childCases().stream();
    }

    @Test
    void coversAtLeastFortyKindsOfBadInput() {
        assertTrue(names().size() >= 40, "kinds of bad input: " + names().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inProcess")
    void inThisJvm(String name, Setup setup) throws Exception {
        Path dir = Files.createTempDirectory(fixtures, "case-");
        Input in = setup.make(dir);
        List<String> before = listing(dir);
        CliRun r = CliRun.of(in.args().toArray(String[]::new));
        check(name, in, r.code(), r.err(), dir, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("childJvm")
    void inASmallChildJvm(String name, Setup setup) throws Exception {
        Path dir = Files.createTempDirectory(fixtures, "case-");
        Input in = setup.make(dir);
        List<String> before = listing(dir);
        List<String> jvm = new ArrayList<>(ChildCli.SMALL_MEMORY);
        // limits below the child's 256 MiB heap, so that each bomb is built in seconds and still exceeds the heap
        jvm.addAll(List.of("-Drankforge.limits.model-bytes=192m", "-Drankforge.limits.dataset-bytes=128m"));
        ChildCli r = ChildCli.run(dir, jvm, in.args().toArray(String[]::new));
        check(name, in, r.code(), errorLines(r.err()), dir, before);
    }

    private static void check(String name, Input in, int code, String err, Path dir, List<String> before)
            throws IOException {
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(2, code, name + ": exit code; stderr: " + err);
        assertEquals(1, lines.size(), name + ": one line on stderr, got: " + err);
        String line = lines.get(0);
        assertTrue(line.contains(": error: "), name + ": " + line);
        assertTrue(line.contains(in.names()), name + ": the line names " + in.names() + ": " + line);
        assertTrue(line.length() <= Main.MAX_MESSAGE_CHARS + 100, name + ": bounded length: " + line.length());
        assertFalse(err.contains("\tat ") || err.contains("Exception:"), name + ": no stack trace: " + err);
        assertEquals(before, listing(dir), name + ": nothing new in the case's folder");
    }

    /** A child's stderr without the log lines (time, level) of its loggers below ERROR. */
    static String errorLines(String err) {
        return String.join(
                "\n",
                err.lines()
                        .filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d (INFO|WARN|DEBUG) .*"))
                        .toList());
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    // ---- the cases -------------------------------------------------------------------------------------------

    static List<Arguments> inProcessCases() {
        List<Arguments> c = new ArrayList<>();
        // arguments
        c.add(arguments("unknown command", d -> Input.of("frobnicate", "frobnicate")));
        c.add(arguments("unknown option", d -> Input.of("--no-such-flag", "zoo", "list", "--no-such-flag")));
        c.add(arguments(
                "unknown method", d -> Input.of("nosuch", select("--method", "nosuch", "--target-flops", "0.5"))));
        c.add(arguments(
                "FLOPs target above 1",
                d -> Input.of("--target-flops", select("--method", "enc-map", "--target-flops", "2"))));
        c.add(arguments("Pareto step 0", d -> Input.of("--pareto", select("--method", "optimal", "--pareto", "0"))));
        c.add(arguments(
                "Pareto step not a number",
                d -> Input.of("--pareto", select("--method", "optimal", "--pareto", "fine"))));
        c.add(arguments(
                "held-out beyond the split",
                d -> Input.of(
                        "--held-out",
                        "profile",
                        "--model",
                        lenet.toString(),
                        "--measure-sensitivity",
                        "--held-out",
                        "1000000000",
                        "--out",
                        d.resolve("p.json").toString())));
        c.add(arguments(
                "negative calibration images",
                d -> Input.of(
                        "--calibration-images",
                        "evaluate",
                        "--model",
                        lenet.toString(),
                        "--calibration-images",
                        "-5")));
        c.add(arguments(
                "unknown zoo model",
                d -> Input.of(
                        "nosuch",
                        "zoo",
                        "train",
                        "--model",
                        "nosuch",
                        "--out",
                        d.resolve("m.zip").toString())));
        c.add(arguments(
                "compress output not a zip",
                d -> Input.of(
                        "--out",
                        "compress",
                        "--model",
                        lenet.toString(),
                        "--ranks",
                        "rmax",
                        "--out",
                        d.resolve("m.txt").toString())));

        // ranks files
        c.add(ranks("missing ranks file", d -> d.resolve("nope.json")));
        c.add(ranks("ranks path is a directory", d -> Files.createDirectory(d.resolve("ranks.json"))));
        c.add(ranks("ranks file not JSON", d -> write(d, "r.json", "{conv2: ")));
        c.add(ranks("ranks file a JSON array", d -> write(d, "r.json", "[1, 2]")));
        c.add(ranks("ranks file unknown layer", d -> write(d, "r.json", "{\"convX\": 3}")));
        c.add(ranks("ranks file zero rank", d -> write(d, "r.json", "{\"conv2\": 0}")));
        c.add(ranks("ranks file fractional rank", d -> write(d, "r.json", "{\"conv2\": 2.5}")));
        c.add(ranks("ranks file rank above full", d -> write(d, "r.json", "{\"conv2\": 100000}")));
        c.add(ranks("ranks file duplicate layer", d -> write(d, "r.json", "{\"conv2\": 3, \"conv2\": 4}")));
        c.add(ranks("ranks file 200,000 unknown layers", d -> {
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < 200_000; i++) {
                b.append(i == 0 ? "" : ",").append("\"layer_").append(i).append("\": 3");
            }
            return write(d, "r.json", b.append('}').toString());
        }));
        c.add(ranks("ranks file one 1 MB layer name", d -> write(d, "r.json", "{\"" + "x".repeat(1 << 20) + "\": 3}")));

        // DL4J zips
        c.add(model("missing model", d -> d.resolve("missing.zip")));
        c.add(model("model is a directory", d -> Files.createDirectory(d.resolve("dir.zip"))));
        c.add(model("model with unsupported extension", d -> write(d, "model.pt", "weights")));
        c.add(model("zip that is text", d -> write(d, "notes.zip", "these are not weights")));
        c.add(model("truncated zip", d -> {
            byte[] all = Files.readAllBytes(lenet);
            return Files.write(d.resolve("half.zip"), Arrays.copyOf(all, all.length / 2));
        }));
        c.add(model("zip without configuration", d -> zip(d.resolve("noconf.zip"), "readme.txt", "hello")));
        c.add(model("zip configuration not JSON", d -> zip(d.resolve("badconf.zip"), "configuration.json", "{{{")));
        c.add(model("zip configuration neither network", d -> zip(d.resolve("empty.zip"), "configuration.json", "{}")));
        c.add(model("zip with 20,000 entries", d -> {
            Path z = d.resolve("many.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
                out.putNextEntry(new ZipEntry("configuration.json"));
                out.write("{\"confs\": []}".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 20_000; i++) {
                    out.putNextEntry(new ZipEntry("e" + i));
                }
            }
            return z;
        }));

        // Caffe
        c.add(model("caffemodel garbage", d -> {
            write(d, "net.prototxt", "layer { name: \"a\" type: \"Input\" }");
            return write(d, "net.caffemodel", "\u0001\u0002garbage bytes, not a protobuf");
        }));
        c.add(model("caffemodel truncated", d -> {
            Path src = Path.of(System.getProperty("user.dir")).resolveSibling("reference/enc/res56");
            Files.copy(src.resolve("train_val_test.prototxt"), d.resolve("res56.prototxt"));
            byte[] all = Files.readAllBytes(src.resolve("res56.caffemodel"));
            return Files.write(d.resolve("res56.caffemodel"), Arrays.copyOf(all, all.length / 3));
        }));
        c.add(model("caffemodel without prototxt", d -> {
            Path src = Path.of(System.getProperty("user.dir")).resolveSibling("reference/enc/res56");
            return Files.copy(src.resolve("res56.caffemodel"), d.resolve("lonely.caffemodel"));
        }));
        c.add(model("prototxt not Caffe text", "res56.prototxt", d -> {
            Path src = Path.of(System.getProperty("user.dir")).resolveSibling("reference/enc/res56");
            write(d, "res56.prototxt", "layer { name: \"conv\" type: ");
            return Files.copy(src.resolve("res56.caffemodel"), d.resolve("res56.caffemodel"));
        }));
        c.add(model("prototxt layer missing from the caffemodel", "renamed_conv", d -> {
            Path src = Path.of(System.getProperty("user.dir")).resolveSibling("reference/enc/res56");
            String proto = Files.readString(src.resolve("train_val_test.prototxt"))
                    .replace("name: \"first_conv\"", "name: \"renamed_conv\"");
            write(d, "res56.prototxt", proto);
            return Files.copy(src.resolve("res56.caffemodel"), d.resolve("res56.caffemodel"));
        }));

        // Keras
        c.add(model("h5 that is text", d -> write(d, "model.h5", "not an HDF5 file")));
        c.add(model("h5 truncated", d -> {
            Path src = Path.of(System.getProperty("user.dir"))
                    .resolveSibling("core/src/test/resources/keras/sequential_cnn.h5");
            byte[] all = Files.readAllBytes(src);
            return Files.write(d.resolve("cut.h5"), Arrays.copyOf(all, 4096));
        }));
        c.add(model(
                "h5 without a Keras model",
                d -> Files.copy(
                        Path.of(System.getProperty("user.dir"))
                                .resolveSibling("core/src/test/resources/keras/not_a_keras_model.h5"),
                        d.resolve("plain.h5"))));

        // ONNX
        c.add(model("onnx empty", d -> write(d, "empty.onnx", "")));
        c.add(model("onnx garbage", d -> write(d, "garbage.onnx", "\u0008\u00ff\u00ff\u00ff not protobuf")));
        c.add(model("onnx truncated", d -> Files.write(d.resolve("cut.onnx"), Arrays.copyOf(onnx, onnx.length / 2))));
        c.add(model("onnx over the model limit", d -> {
            Path big = d.resolve("big.onnx");
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                f.setLength((1L << 30) + 1); // sparse: nothing is written, and nothing may be read
            }
            return big;
        }));

        // datasets (IDX, read from --data-dir)
        c.add(idx("IDX shorter than its header", d -> new byte[] {0, 0, 8}));
        c.add(idx("IDX with a wrong magic", d -> header(0x0801, 1, 28, 28)));
        c.add(idx("IDX announcing more images than it holds", d -> header(0x0803, 1000, 28, 28)));
        c.add(idx("IDX with negative dimensions", d -> header(0x0803, -5, 28, 28)));
        c.add(idx("IDX gzip that is corrupt", d -> new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7}));

        // HOCON configurations
        c.add(conf("configuration missing", d -> d.resolve("none.conf")));
        c.add(conf("configuration a directory", d -> Files.createDirectory(d.resolve("dir.conf"))));
        c.add(conf(
                "configuration not HOCON", d -> write(d, "bad.conf", "rankforge.sweep { samples-per-stratum = 3\n")));
        c.add(conf("configuration unknown key", d -> write(d, "bad.conf", "rankforge.sweep.no-such-key = 3\n")));
        c.add(conf(
                "configuration wrong type", d -> write(d, "bad.conf", "rankforge.sweep.samples-per-stratum = lots\n")));
        c.add(conf(
                "configuration with a missing model",
                d -> write(
                        d,
                        "bad.conf",
                        "rankforge.experiment { output = \"" + d.resolve("out") + "\", models = [\""
                                + d.resolve("m.zip") + "\"] }\n")));
        c.add(conf(
                "configuration with no models",
                d -> write(
                        d,
                        "bad.conf",
                        "rankforge.experiment { output = \"" + d.resolve("out") + "\", models = [] }\n")));
        c.add(conf(
                "configuration output under /proc",
                d -> write(
                        d,
                        "bad.conf",
                        "rankforge.experiment { output = \"/proc/rankforge-out\", models = [\"" + lenet + "\"] }\n")));

        // output paths
        c.add(arguments(
                "profile --out under /proc",
                d -> Input.of(
                        "/proc/rankforge-p.json",
                        "profile",
                        "--model",
                        lenet.toString(),
                        "--out",
                        "/proc/rankforge-p.json")));
        c.add(arguments(
                "profile --out an existing directory",
                d -> Input.of(
                        d.resolve("sub").toString(),
                        "profile",
                        "--model",
                        lenet.toString(),
                        "--out",
                        Files.createDirectory(d.resolve("sub")).toString())));
        c.add(arguments(
                "profile --out under a file",
                d -> Input.of(
                        "--out",
                        "profile",
                        "--model",
                        lenet.toString(),
                        "--out",
                        write(d, "plain", "x").resolve("p.json").toString())));
        c.add(arguments(
                "export --out under /proc",
                d -> Input.of(
                        "/proc/rankforge.onnx",
                        "export",
                        "--model",
                        lenet.toString(),
                        "--out",
                        "/proc/rankforge.onnx")));
        c.add(arguments(
                "compress --out under /proc",
                d -> Input.of(
                        "/proc/rankforge.zip",
                        "compress",
                        "--model",
                        lenet.toString(),
                        "--ranks",
                        "rmax",
                        "--out",
                        "/proc/rankforge.zip")));
        c.add(arguments(
                "zoo train --out under /proc",
                d -> Input.of(
                        "/proc/rankforge.zip", "zoo", "train", "--model", "lenet5", "--out", "/proc/rankforge.zip")));
        c.add(arguments(
                "quickstart --out under /proc",
                d -> Input.of("/proc/rankforge-qs", "quickstart", "--out", "/proc/rankforge-qs")));
        return c;
    }

    static List<Arguments> childCases() {
        List<Arguments> c = new ArrayList<>();
        c.add(arguments(
                "Pareto grid of 10^9 points",
                d -> Input.of("--pareto", select("--method", "optimal", "--pareto", "1e-9"))));
        c.add(model(
                "zip bomb: 600 MB configuration.json",
                d -> bomb(d.resolve("bomb.zip"), "configuration.json", 600L << 20)));
        c.add(model("zip bomb: 320 MB coefficients", d -> {
            Path z = d.resolve("coefficients-bomb.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
                out.putNextEntry(new ZipEntry("configuration.json"));
                out.write(configurationOf(lenet));
                out.putNextEntry(new ZipEntry("coefficients.bin"));
                zeros(out, 320L << 20); // over the child's model limit, and over its whole heap
            }
            return z;
        }));
        c.add(idx("IDX gzip bomb: 1.2 GB announced", d -> {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                gz.write(header(0x0803, 1_500_000, 28, 28));
                zeros(gz, 64L << 20);
            }
            return b.toByteArray();
        }));
        return c;
    }

    // ---- case builders ---------------------------------------------------------------------------------------

    interface PathMaker {
        Path make(Path dir) throws Exception;
    }

    interface BytesMaker {
        byte[] make(Path dir) throws Exception;
    }

    static Arguments arguments(String name, Setup s) {
        return Arguments.of(name, s);
    }

    static String[] select(String... rest) {
        List<String> a =
                new ArrayList<>(List.of("select", "--profile", referenceVgg16().toString()));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    static Path referenceVgg16() {
        return Path.of(System.getProperty("user.dir")).resolveSibling("reference/enc/vgg16");
    }

    /** evaluate --ranks FILE on the lenet5 fixture: the ranks are resolved before any image is read. */
    static Arguments ranks(String name, PathMaker file) {
        return arguments(name, d -> {
            Path f = file.make(d);
            return Input.of(f.toString(), "evaluate", "--model", lenet.toString(), "--ranks", f.toString());
        });
    }

    /** profile --model FILE --out P: the model is the bad input. */
    static Arguments model(String name, PathMaker file) {
        return model(name, null, file);
    }

    /** Like {@link #model(String, PathMaker)}, with the error naming {@code names} (null: the file's name). */
    static Arguments model(String name, String names, PathMaker file) {
        return arguments(name, d -> {
            Path f = file.make(d);
            return Input.of(
                    names == null ? f.getFileName().toString() : names,
                    "profile",
                    "--model",
                    f.toString(),
                    "--out",
                    d.resolve("p.json").toString());
        });
    }

    /** A --data-dir whose training images are {@code images} (the other three files empty). */
    static Arguments idx(String name, BytesMaker images) {
        return arguments(name, d -> {
            Path data = Files.createDirectory(d.resolve("data"));
            Files.write(data.resolve("train-images-idx3-ubyte"), images.make(d));
            for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
                Files.write(data.resolve(f), new byte[0]);
            }
            return Input.of(
                    "train-images-idx3-ubyte",
                    "profile",
                    "--model",
                    lenet.toString(),
                    "--measure-sensitivity",
                    "--data-dir",
                    data.toString(),
                    "--out",
                    d.resolve("p.json").toString());
        });
    }

    /** profile --conf FILE (a Spark job): the configuration is the bad input. */
    static Arguments conf(String name, PathMaker file) {
        return arguments(name, d -> {
            Path f = file.make(d);
            String names = name.contains("output")
                    ? "/proc/rankforge-out"
                    : name.contains("missing model")
                            ? "m.zip"
                            : name.contains("no models")
                                    ? "rankforge.experiment.models"
                                    : f.getFileName().toString();
            return Input.of(names, "profile", "--conf", f.toString());
        });
    }

    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static Path zip(Path z, String entry, String text) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return z;
    }

    static Path bomb(Path z, String entry, long bytes) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
            out.putNextEntry(new ZipEntry(entry));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (long n = 0; n < bytes; n += spaces.length) {
                out.write(spaces);
            }
        }
        return z;
    }

    static void zeros(OutputStream out, long bytes) throws IOException {
        byte[] zeros = new byte[1 << 20];
        for (long n = 0; n < bytes; n += zeros.length) {
            out.write(zeros);
        }
    }

    static byte[] configurationOf(Path dl4jZip) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(dl4jZip.toFile())) {
            return z.getInputStream(z.getEntry("configuration.json")).readAllBytes();
        }
    }

    static byte[] header(int magic, int count, int rows, int cols) {
        return ByteBuffer.allocate(16)
                .putInt(magic)
                .putInt(count)
                .putInt(rows)
                .putInt(cols)
                .array();
    }

    /** Names of all cases, for the count the issue asks for (>= 40 kinds). */
    static TreeSet<String> names() {
        TreeSet<String> n = new TreeSet<>();
        Stream.concat(inProcessCases().stream(), childCases().stream()).forEach(a -> n.add((String) a.get()[0]));
        return n;
    }
}
