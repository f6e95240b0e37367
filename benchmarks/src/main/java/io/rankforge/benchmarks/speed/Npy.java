package io.rankforge.benchmarks.speed;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes an array as a NumPy .npy file (version 1.0, little-endian float32, C order): how the twin gets weights. */
final class Npy {
    private Npy() {}

    static void write(Path file, INDArray a) throws IOException {
        INDArray c = a.castTo(DataType.FLOAT).dup('c');
        float[] data = c.data().asFloat();
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        write(file, c.shape(), "<f4", body.array());
    }

    /** As float64 ({@code <f8}). */
    static void writeDouble(Path file, INDArray a) throws IOException {
        INDArray c = a.castTo(DataType.DOUBLE).dup('c');
        double[] data = c.data().asDouble();
        ByteBuffer body = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        body.asDoubleBuffer().put(data);
        write(file, c.shape(), "<f8", body.array());
    }

    private static void write(Path file, long[] shape, String descr, byte[] body) throws IOException {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
                + (shape.length == 1 ? "," : "") + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            int len = header.length();
            out.write(new byte[] {(byte) (len & 0xff), (byte) (len >> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        }
    }
}
