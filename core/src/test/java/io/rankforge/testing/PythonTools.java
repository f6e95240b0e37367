package io.rankforge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the repository's Python tools ({@code tools/python/*.py}: onnxruntime, PyTorch) for the ONNX tests, with
 * {@code tools/python/.pydeps} on PYTHONPATH. When a package is missing the test fails (never skips) with the
 * message of {@code check-deps.py}: which package, and that {@code tools/python/install-deps.sh} installs it.
 */
public final class PythonTools {
    private static String checked;

    private PythonTools() {}

    public static Path toolsDir() {
        return ReferenceData.repoRoot().resolve("tools/python");
    }

    /** Debian's python3 first (install-deps.sh installs for its version), else the first python3 on PATH. */
    public static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Fails the calling test unless numpy, onnx, onnxruntime, torch and onnxscript import. */
    public static synchronized void requirePackages() {
        if (checked != null) {
            return;
        }
        Result r = run(List.of(toolsDir().resolve("check-deps.py").toString()), 120);
        if (r.code() != 0) {
            fail("the ONNX tests need Python packages: " + r.out().strip() + " "
                    + r.err().strip());
        }
        checked = r.out().strip();
    }

    /** Output of one Python run. */
    public record Result(int code, String out, String err) {}

    /** Runs {@code tools/python/<script> args...} and fails the test when it exits non-zero. */
    public static String script(String script, List<String> args, int timeoutSeconds) {
        requirePackages();
        List<String> cmd = new ArrayList<>();
        cmd.add(toolsDir().resolve(script).toString());
        cmd.addAll(args);
        Result r = run(cmd, timeoutSeconds);
        if (r.code() != 0) {
            fail("python " + script + " " + args + " exited with " + r.code() + ":\n" + r.err() + "\n" + r.out());
        }
        List<String> lines = r.out().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static Result run(List<String> scriptAndArgs, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(python());
        cmd.addAll(scriptAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path deps = toolsDir().resolve(".pydeps");
        String old = System.getenv("PYTHONPATH");
        pb.environment().put("PYTHONPATH", deps + (old == null || old.isBlank() ? "" : File.pathSeparator + old));
        pb.environment().put("OMP_NUM_THREADS", "1");
        try {
            Path out = Files.createTempFile("rankforge-py", ".out");
            Path err = Files.createTempFile("rankforge-py", ".err");
            try {
                pb.redirectOutput(out.toFile()).redirectError(err.toFile());
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("python " + scriptAndArgs + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            fail("cannot run " + python() + " (install python3, then run tools/python/install-deps.sh): " + e);
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code a} as raw little-endian float32 in C order. */
    public static void writeFloats(INDArray a, Path file) throws IOException {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    /** Reads raw little-endian float32 written by a Python tool, shaped {@code shape} (C order). */
    public static INDArray readFloats(Path file, long... shape) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return Nd4j.create(v, shape, 'c');
    }

    /** Runs an ONNX model with onnxruntime on {@code input} (NCHW); returns its output, {@code outShape}. */
    public static INDArray onnxRuntime(Path model, INDArray input, Path work, long... outShape) throws IOException {
        Path in = Files.createTempFile(work, "input", ".f32");
        Path out = Files.createTempFile(work, "output", ".f32");
        writeFloats(input, in);
        long[] s = input.shape();
        script(
                "onnx_run.py",
                List.of(model.toString(), in.toString(), s[0] + "," + s[1] + "," + s[2] + "," + s[3], out.toString()),
                300);
        return readFloats(out, outShape);
    }

    /** max |a − b| / max |b|: the relative difference the ONNX tests bound by 1e-4. */
    public static double relativeDifference(INDArray actual, INDArray expected) {
        double scale = expected.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
        double diff = actual.castTo(DataType.DOUBLE)
                .sub(expected.castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
        return diff / Math.max(scale, 1e-12);
    }
}
