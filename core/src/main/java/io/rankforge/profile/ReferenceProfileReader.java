package io.rankforge.profile;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import io.rankforge.io.Json;
import io.rankforge.spectrum.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the ENC paper's reference layout (the repository's reference/enc/README.md): a folder with
 * {@code Net_def.txt} (one row a layer: C, r_max, N, groups, output size, D, weights, MACs, flag),
 * {@code R_list.txt} and {@code A_norm.txt} (sample rows × layer columns, the last row at r_max) and,
 * optionally, {@code eigenvalue.conf} (JSON: {@code layer} name → row, {@code eigen} name → singular
 * values, largest first).
 *
 * <p>Conventions, as the paper's code has them: the cost per unit of rank is MACs / r_max and weights
 * / r_max (so r_max costs exactly the original); the first layer uses channel decomposition, a D = 1
 * layer dense, the others spatial; the measured accuracies are divided by the last row's (the
 * accuracy at r_max) so that y_m(r_max) = 1; where a layer lists the same rank twice, the first row
 * counts. Layer names come from eigenvalue.conf, else they are layer1, layer2, ... in row order.
 * The network's totals are unknown (0): ratios are over these layers only.
 */
public final class ReferenceProfileReader {
    public static final String NET_DEF = "Net_def.txt";
    public static final String R_LIST = "R_list.txt";
    public static final String A_NORM = "A_norm.txt";
    public static final String EIGEN = "eigenvalue.conf";

    private ReferenceProfileReader() {}

    /** True when the folder looks like the reference layout (it has Net_def.txt). */
    public static boolean isReferenceFolder(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(NET_DEF));
    }

    public static NetworkProfile read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("profile folder " + dir + " does not exist or is not a folder");
        }
        double[][] net = table(dir, NET_DEF);
        double[][] ranks = table(dir, R_LIST);
        double[][] acc = table(dir, A_NORM);
        int layers = net.length;
        for (int i = 0; i < layers; i++) {
            if (net[i].length < 8) {
                throw new UserInputException(dir.resolve(NET_DEF) + " row " + (i + 1) + " has " + net[i].length
                        + " columns, expected 9 (C r_max N groups size D weights MACs flag)");
            }
        }
        checkShape(dir, R_LIST, ranks, layers);
        checkShape(dir, A_NORM, acc, layers);
        if (ranks.length != acc.length) {
            throw new UserInputException(dir.resolve(R_LIST) + " has " + ranks.length + " rows but "
                    + dir.resolve(A_NORM) + " has " + acc.length + ": they must pair cell by cell");
        }
        String[] names = new String[layers];
        double[][] spectra = new double[layers][];
        Path eigen = dir.resolve(EIGEN);
        if (Files.isRegularFile(eigen)) {
            readEigen(eigen, names, spectra);
        }
        List<LayerProfile> out = new ArrayList<>(layers);
        int last = ranks.length - 1;
        for (int i = 0; i < layers; i++) {
            double[] row = net[i];
            int c = (int) row[0], rMax = (int) Math.round(row[1]), n = (int) row[2], d = (int) row[5];
            double weights = row[6], macs = row[7];
            if (rMax < 1 || c < 1 || n < 1 || d < 1 || !(macs > 0) || !(weights > 0)) {
                throw new UserInputException(dir.resolve(NET_DEF) + " row " + (i + 1)
                        + " has a non-positive channel count, r_max, kernel, weight count or MAC count");
            }
            String name = names[i] != null ? names[i] : "layer" + (i + 1);
            Scheme scheme = d == 1 ? Scheme.DENSE : (i == 0 ? Scheme.CHANNEL : Scheme.SPATIAL);
            int fullRank = switch (scheme) {
                case CHANNEL -> Math.min(n, c * d * d);
                case SPATIAL -> Math.min(c * d, d * n);
                case DENSE -> Math.min(n, c);
            };
            fullRank = Math.max(fullRank, rMax);
            double base = acc[last][i];
            if (!(base > 0)) {
                throw new UserInputException(
                        dir.resolve(A_NORM) + " last row, column " + (i + 1) + ": the accuracy at r_max must be > 0");
            }
            TreeMap<Integer, Double> samples = new TreeMap<>();
            for (int s = 0; s < ranks.length; s++) {
                int r = (int) Math.round(ranks[s][i]);
                if (r < 1 || r > fullRank) {
                    throw new UserInputException(dir.resolve(R_LIST) + " row " + (s + 1) + ", column " + (i + 1)
                            + ": rank " + r + " is outside [1, " + fullRank + "]");
                }
                samples.putIfAbsent(r, acc[s][i] / base);
            }
            double[] sv = spectra[i] == null ? new double[0] : spectra[i];
            out.add(new LayerProfile(
                    name, scheme, fullRank, rMax, macs / rMax, weights / rMax, macs, weights, sv, samples));
        }
        return new NetworkProfile(dir.toString(), out, 0, 0);
    }

    private static void checkShape(Path dir, String file, double[][] t, int layers) {
        if (t.length < 1) {
            throw new UserInputException(dir.resolve(file) + " is empty");
        }
        for (int s = 0; s < t.length; s++) {
            if (t[s].length != layers) {
                throw new UserInputException(dir.resolve(file) + " row " + (s + 1) + " has " + t[s].length
                        + " columns, but " + NET_DEF + " has " + layers + " layers");
            }
        }
    }

    private static void readEigen(Path file, String[] names, double[][] spectra) {
        JsonNode root;
        root = Json.parse(
                BoundedInput.readString(file, InputLimits.current().jsonBytes(), file.toString(), "json-bytes"),
                file.toString());
        JsonNode index = root.get("layer"), eigen = root.get("eigen");
        if (index == null || !index.isObject() || eigen == null || !eigen.isObject()) {
            throw new UserInputException(
                    file + " must hold the objects \"layer\" (name -> row) and \"eigen\" (name -> singular values)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = index.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int row = e.getValue().asInt(-1);
            if (row < 0 || row >= names.length) {
                throw new UserInputException(file + ": layer " + e.getKey() + " has row " + e.getValue()
                        + ", outside the " + names.length + " rows of " + NET_DEF);
            }
            names[row] = e.getKey();
            JsonNode values = eigen.get(e.getKey());
            if (values == null || !values.isArray()) {
                throw new UserInputException(file + ": no singular values for layer " + e.getKey() + " in \"eigen\"");
            }
            double[] v = new double[values.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = values.get(k).asDouble();
            }
            spectra[row] = v;
        }
    }

    /** Whitespace-separated numbers, one row a line; blank lines ignored; a missing file is a user error naming it. */
    private static double[][] table(Path dir, String file) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new UserInputException("profile folder " + dir + " has no " + file + ": the reference layout needs "
                    + NET_DEF + ", " + R_LIST + " and " + A_NORM + " (and optionally " + EIGEN + ")");
        }
        List<String> lines;
        lines = BoundedInput.readString(p, InputLimits.current().textBytes(), p.toString(), "text-bytes")
                .lines()
                .toList();
        List<double[]> rows = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] tok = line.split("[\\s,]+");
            double[] row = new double[tok.length];
            for (int k = 0; k < tok.length; k++) {
                try {
                    row[k] = Double.parseDouble(tok[k]);
                } catch (NumberFormatException e) {
                    throw new UserInputException(p + " line " + (ln + 1) + ": '" + tok[k] + "' is not a number");
                }
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }
}
