package io.rankforge.importer.caffe;

import io.rankforge.importer.caffe.proto.CaffeProto.BlobProto;
import io.rankforge.importer.caffe.proto.CaffeProto.BlobShape;
import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.NetParameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Caffe network written by a test: the definition as Caffe text (the way people write
 * prototxt files, unread fields such as fillers and lr_mult included) and the weights as a binary
 * NetParameter, as Caffe saves a .caffemodel.
 */
final class CaffeTestNet {
    private static final Pattern NAME = Pattern.compile("name:\\s*\"([^\"]+)\"");
    private final StringBuilder prototxt = new StringBuilder();
    private final String name;
    private final Map<String, LayerParameter.Builder> layers = new LinkedHashMap<>();
    private final Random random;

    CaffeTestNet(String name, long seed) {
        prototxt.append("name: \"").append(name).append("\"\n");
        this.name = name;
        random = new Random(seed);
    }

    /** An Input layer: the graph then takes the blob as it is (no transform). */
    CaffeTestNet input(String blob, int c, int h, int w) {
        return layer("layer { name: \"input\" type: \"Input\" top: \"" + blob + "\"\n"
                + "  input_param { shape { dim: 1 dim: " + c + " dim: " + h + " dim: " + w + " } } }");
    }

    /** A layer in Caffe text; like Caffe's own snapshots, the weights file lists every layer, with or without blobs. */
    CaffeTestNet layer(String text) {
        prototxt.append(text).append('\n');
        Matcher m = NAME.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("layer without a name: " + text);
        }
        layers.putIfAbsent(m.group(1), LayerParameter.newBuilder().setName(m.group(1)));
        return this;
    }

    /** Stores trained blobs for layer {@code name}, in Caffe's order. */
    CaffeTestNet weights(String name, BlobProto... blobs) {
        LayerParameter.Builder l = layers.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no layer named " + name);
        }
        for (BlobProto b : blobs) {
            l.addBlobs(b);
        }
        return this;
    }

    /** Values in [-1, 1) from this net's seeded generator. */
    double[] values(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }

    static BlobProto blob(double[] values, long... shape) {
        BlobProto.Builder b = BlobProto.newBuilder()
                .setShape(BlobShape.newBuilder()
                        .addAllDim(java.util.Arrays.stream(shape).boxed().toList()));
        for (double v : values) {
            b.addData((float) v);
        }
        return b.build();
    }

    NetParameter weightsMessage() {
        NetParameter.Builder net = NetParameter.newBuilder().setName(name);
        layers.values().forEach(net::addLayer);
        return net.build();
    }

    String prototxt() {
        return prototxt.toString();
    }

    /** Writes {@code <stem>.prototxt} and {@code <stem>.caffemodel}; returns the .caffemodel. */
    Path write(Path dir, String stem) {
        try {
            Files.writeString(dir.resolve(stem + ".prototxt"), prototxt);
            Path model = dir.resolve(stem + ".caffemodel");
            Files.write(model, weightsMessage().toByteArray());
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values rounded to float32, as they are stored. */
    static double[] asFloat(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }
}
