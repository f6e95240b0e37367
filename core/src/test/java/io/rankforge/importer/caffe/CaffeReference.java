package io.rankforge.importer.caffe;

/**
 * Caffe's layer arithmetic written out by hand in double precision, loop by loop, as Caffe's CPU code
 * defines it: the expected values the imported DL4J graphs must reproduce.
 */
final class CaffeReference {
    private CaffeReference() {}

    /** One example's feature map, channel-major like Caffe's blobs. */
    record Map3(int c, int h, int w, double[] v) {
        static Map3 zeros(int c, int h, int w) {
            return new Map3(c, h, w, new double[c * h * w]);
        }

        double at(int ci, int y, int x) {
            return v[(ci * h + y) * w + x];
        }

        void set(int ci, int y, int x, double value) {
            v[(ci * h + y) * w + x] = value;
        }
    }

    /** Cross-correlation with zero padding; weights n × c × kh × kw, row-major. */
    static Map3 conv(Map3 in, double[] weights, double[] bias, int n, int kh, int kw, int sh, int sw, int ph, int pw) {
        int oh = (in.h() + 2 * ph - kh) / sh + 1;
        int ow = (in.w() + 2 * pw - kw) / sw + 1;
        Map3 out = Map3.zeros(n, oh, ow);
        for (int o = 0; o < n; o++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double s = bias == null ? 0 : bias[o];
                    for (int ci = 0; ci < in.c(); ci++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int yy = y * sh - ph + i;
                                int xx = x * sw - pw + j;
                                if (yy < 0 || yy >= in.h() || xx < 0 || xx >= in.w()) {
                                    continue;
                                }
                                s += weights[((o * in.c() + ci) * kh + i) * kw + j] * in.at(ci, yy, xx);
                            }
                        }
                    }
                    out.set(o, y, x, s);
                }
            }
        }
        return out;
    }

    /** Caffe's pooling: output size rounded up; average divides by the window clipped to the padded input. */
    static Map3 pool(Map3 in, boolean max, int kh, int kw, int sh, int sw, int ph, int pw) {
        int oh = (int) Math.ceil((double) (in.h() + 2 * ph - kh) / sh) + 1;
        int ow = (int) Math.ceil((double) (in.w() + 2 * pw - kw) / sw) + 1;
        if (ph > 0 && (oh - 1) * sh >= in.h() + ph) {
            oh--;
        }
        if (pw > 0 && (ow - 1) * sw >= in.w() + pw) {
            ow--;
        }
        Map3 out = Map3.zeros(in.c(), oh, ow);
        for (int c = 0; c < in.c(); c++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int hs = y * sh - ph;
                    int ws = x * sw - pw;
                    int he = Math.min(hs + kh, in.h() + ph);
                    int we = Math.min(ws + kw, in.w() + pw);
                    int poolSize = (he - hs) * (we - ws);
                    hs = Math.max(hs, 0);
                    ws = Math.max(ws, 0);
                    he = Math.min(he, in.h());
                    we = Math.min(we, in.w());
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int i = hs; i < he; i++) {
                        for (int j = ws; j < we; j++) {
                            acc = max ? Math.max(acc, in.at(c, i, j)) : acc + in.at(c, i, j);
                        }
                    }
                    out.set(c, y, x, max ? acc : acc / poolSize);
                }
            }
        }
        return out;
    }

    /** Caffe's BatchNorm in the TEST phase (statistics ÷ the stored factor) followed by Scale (gamma, beta). */
    static Map3 batchNormScale(
            Map3 in,
            double[] meanBlob,
            double[] varBlob,
            double factorBlob,
            double eps,
            double[] gamma,
            double[] beta) {
        double f = factorBlob == 0 ? 0 : 1 / factorBlob;
        Map3 out = Map3.zeros(in.c(), in.h(), in.w());
        for (int c = 0; c < in.c(); c++) {
            double mean = meanBlob[c] * f;
            double sd = Math.sqrt(varBlob[c] * f + eps);
            for (int y = 0; y < in.h(); y++) {
                for (int x = 0; x < in.w(); x++) {
                    double normalised = (in.at(c, y, x) - mean) / sd;
                    out.set(c, y, x, gamma == null ? normalised : normalised * gamma[c] + beta[c]);
                }
            }
        }
        return out;
    }

    static Map3 relu(Map3 in, double negativeSlope) {
        double[] v = in.v().clone();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] *= negativeSlope;
            }
        }
        return new Map3(in.c(), in.h(), in.w(), v);
    }

    /** InnerProduct over the flattened (channel, row, column) input; weights n × k row-major. */
    static double[] innerProduct(double[] x, double[] weights, double[] bias, int n) {
        double[] y = new double[n];
        for (int o = 0; o < n; o++) {
            double s = bias == null ? 0 : bias[o];
            for (int k = 0; k < x.length; k++) {
                s += weights[o * x.length + k] * x[k];
            }
            y[o] = s;
        }
        return y;
    }

    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            sum += e[i] = Math.exp(x[i] - max);
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
