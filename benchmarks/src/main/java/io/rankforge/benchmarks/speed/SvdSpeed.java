package io.rankforge.benchmarks.speed;

import io.rankforge.runtime.NativeBackend;
import io.rankforge.spectrum.Scheme;
import io.rankforge.spectrum.SpectrumCalculator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-layer SVD time as RankForge computes it ({@link SpectrumCalculator}: LAPACK gesvd through ND4J, float64), on
 * the matrices the spatial scheme (k×1 then 1×k, docs/method.md §1) builds for VGG-16's 13 convolutions and the zoo's
 * layers: (C·k) × (N·k) for a k×k convolution with C inputs and N outputs, (inputs × outputs) for a dense layer.
 * Writes each matrix as .npy (so svd.py times NumPy/LAPACK on the very same matrices) and {@code svd.csv}: singular
 * values only (what profiling needs) and with vectors (what decomposition needs), median of the repeats.
 * Usage: {@code SvdSpeed OUT_DIR REPEATS [quick]}.
 */
public final class SvdSpeed {
    private SvdSpeed() {}

    record Shape(String set, String layer, int rows, int cols) {}

    static List<Shape> shapes(boolean quick) {
        List<Shape> out = new ArrayList<>();
        int[][] vgg16 = {
            {3, 64},
            {64, 64},
            {64, 128},
            {128, 128},
            {128, 256},
            {256, 256},
            {256, 256},
            {256, 512},
            {512, 512},
            {512, 512},
            {512, 512},
            {512, 512},
            {512, 512}
        };
        String[] names = {
            "conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv4_1", "conv4_2",
            "conv4_3", "conv5_1", "conv5_2", "conv5_3"
        };
        for (int i = 0; i < vgg16.length; i++) {
            if (quick && i > 0 && vgg16[i][0] == vgg16[i - 1][0] && vgg16[i][1] == vgg16[i - 1][1]) {
                continue; // the quick run times each distinct shape once
            }
            out.add(new Shape("vgg16", names[i], vgg16[i][0] * 3, vgg16[i][1] * 3));
        }
        int[][] vggMini = {{1, 8}, {8, 8}, {8, 16}, {16, 16}, {16, 32}, {32, 32}};
        for (int i = 0; i < vggMini.length; i++) {
            out.add(new Shape(
                    "vgg-mini", "conv" + (i / 2 + 1) + "_" + (i % 2 + 1), vggMini[i][0] * 3, vggMini[i][1] * 3));
        }
        out.add(new Shape("vgg-mini", "fc1", 288, 128));
        out.add(new Shape("lenet5", "conv2", 20 * 5, 50 * 5));
        out.add(new Shape("lenet5", "fc1", 800, 500));
        return out;
    }

    public static void main(String[] args) throws IOException {
        NativeBackend.select();
        Path out = Path.of(args[0]);
        int repeats = Integer.parseInt(args[1]);
        boolean quick = args.length > 2 && args[2].equals("quick");
        Path mats = out.resolve("svd-matrices");
        Files.createDirectories(mats);
        Nd4j.getRandom().setSeed(7);
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("svd.csv")))) {
            csv.println("library,set,layer,rows,cols,mode,repeat,seconds");
            for (Shape s : shapes(quick)) {
                INDArray m = Nd4j.randn(DataType.DOUBLE, s.rows(), s.cols());
                Npy.writeDouble(mats.resolve(s.set() + "__" + s.layer() + ".npy"), m);
                SpectrumCalculator.values(s.layer(), Scheme.SPATIAL, m); // warm-up
                for (String mode : List.of("values", "vectors")) {
                    double[] t = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        if (mode.equals("values")) {
                            SpectrumCalculator.values(s.layer(), Scheme.SPATIAL, m);
                        } else {
                            SpectrumCalculator.withVectors(s.layer(), Scheme.SPATIAL, m);
                        }
                        t[r] = (System.nanoTime() - t0) / 1e9;
                        csv.printf(
                                Locale.ROOT,
                                "nd4j,%s,%s,%d,%d,%s,%d,%.6f%n",
                                s.set(),
                                s.layer(),
                                s.rows(),
                                s.cols(),
                                mode,
                                r,
                                t[r]);
                    }
                    Arrays.sort(t);
                    System.err.printf(
                            Locale.ROOT,
                            "svd: %s %s %dx%d %s median %.4f s%n",
                            s.set(),
                            s.layer(),
                            s.rows(),
                            s.cols(),
                            mode,
                            t[repeats / 2]);
                }
                csv.flush();
            }
        }
    }
}
