package io.rankforge.runtime;

import static io.rankforge.runtime.NativeArrays.contiguous;
import static io.rankforge.runtime.NativeArrays.floats;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-channel mean and biased variance of a layer's input given in chunks of images (batch-norm recalibration feeds
 * the calibration images a chunk at a time), in double: two passes, the second over deviations from the mean, so the
 * result does not depend on how the images were chunked beyond the last bits of a double.
 *
 * @param mean     per channel
 * @param variance per channel, biased (divided by the count, as DL4J's training mode normalises)
 */
public record ChannelMoments(double[] mean, double[] variance) {

    /**
     * The moments of {@code chunks}: dense activations {@code [n, c]} (channel = column) or image activations
     * {@code [n, c, h, w]} ({@code NCHW}) or {@code [n, h, w, c]} ({@code NHWC}).
     */
    public static ChannelMoments of(List<INDArray> chunks, CNN2DFormat format) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("channel moments need at least one chunk of activations");
        }
        int rank = chunks.get(0).rank();
        if (rank != 2 && rank != 4) {
            throw new IllegalArgumentException(
                    "channel moments of dense (rank 2) or image (rank 4) activations, got rank " + rank);
        }
        boolean channelsFirst = rank == 4 && format != CNN2DFormat.NHWC;
        int c = (int) chunks.get(0).size(channelsFirst ? 1 : rank - 1);
        double[] sum = new double[c];
        long count = 0;
        for (INDArray x : chunks) {
            count += x.length() / c;
            visit(x, channelsFirst, c, (ch, v, from, len) -> {
                double s = 0;
                for (int i = from; i < from + len; i++) {
                    s += v.at(i);
                }
                sum[ch] += s;
            });
        }
        double[] mean = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / count;
        }
        double[] squares = new double[c];
        for (INDArray x : chunks) {
            visit(x, channelsFirst, c, (ch, v, from, len) -> {
                double s = 0;
                double m = mean[ch];
                for (int i = from; i < from + len; i++) {
                    double d = v.at(i) - m;
                    s += d * d;
                }
                squares[ch] += s;
            });
        }
        double[] variance = new double[c];
        for (int ch = 0; ch < c; ch++) {
            variance[ch] = squares[ch] / count;
        }
        return new ChannelMoments(mean, variance);
    }

    /** A run of {@code len} elements of channel {@code ch}, starting at {@code from} in {@code v}. */
    private interface Run {
        void accept(int ch, Values v, int from, int len);
    }

    /** The elements of a dense C-order array, read in double without copying (float) or after one cast. */
    private interface Values {
        double at(int i);
    }

    private static void visit(INDArray x, boolean channelsFirst, int c, Run run) {
        boolean isFloat = x.dataType() == DataType.FLOAT;
        INDArray in = contiguous(isFloat || x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE));
        Values v;
        if (isFloat) {
            FloatBuffer f = floats(in);
            v = f::get;
        } else {
            DoubleBuffer d = in.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
            v = d::get;
        }
        int n = (int) in.size(0);
        if (channelsFirst) {
            int plane = (int) (in.size(2) * in.size(3));
            for (int s = 0; s < n; s++) {
                for (int ch = 0; ch < c; ch++) {
                    run.accept(ch, v, (s * c + ch) * plane, plane);
                }
            }
        } else {
            // channels last (dense or NHWC): one element of each channel per position
            int positions = (int) (in.length() / c);
            for (int p = 0; p < positions; p++) {
                for (int ch = 0; ch < c; ch++) {
                    run.accept(ch, v, p * c + ch, 1);
                }
            }
        }
        if (in != x && in.closeable()) {
            in.close();
        }
    }
}
