package io.rankforge.importer.caffe;

import io.rankforge.UserInputException;
import io.rankforge.importer.caffe.proto.CaffeProto.PoolingParameter;
import io.rankforge.runtime.NativeBackend;
import io.rankforge.runtime.NativeBackend.Build;

/**
 * How one Caffe pooling layer maps onto DL4J's pooling, which rounds the output size down where
 * Caffe rounds it up.
 *
 * <p>Caffe: out = ceil((in + 2p − k) / s) + 1, minus one if the last window would start past
 * in + p. DL4J (truncate mode): floor((in + 2p − k) / s) + 1. Where they differ (by one), DL4J pools
 * with padding p + s instead, which lays the same window grid with one extra window in front, and a
 * crop drops that window. For max pooling that is exact (both ignore padded cells). For average
 * pooling Caffe's divisor counts the padding inside [−p, in + p) but not the overhang past it; DL4J
 * can match that only when p = 0 (then both divide by the real cells in the window).
 *
 * @param cropTop  rows to drop at the top after pooling (0 or 1)
 * @param cropLeft columns to drop at the left after pooling (0 or 1)
 * @param excludePadding whether DL4J's average divides by the real cells only (else by k·k)
 */
record CaffePooling(
        boolean max,
        int kernelH,
        int kernelW,
        int strideH,
        int strideW,
        int padH,
        int padW,
        int cropTop,
        int cropLeft,
        int outH,
        int outW,
        boolean excludePadding) {

    static CaffePooling plan(String layer, PoolingParameter p, FeatureShape in) {
        if (in.flat()) {
            throw new UserInputException(
                    "Caffe layer '" + layer + "' (Pooling) reads a flat vector; only feature maps can be pooled");
        }
        boolean max = switch (p.getPool()) {
            case MAX -> true;
            case AVE -> false;
            default ->
                throw new UserInputException("Caffe layer '" + layer + "' uses " + p.getPool()
                        + " pooling, which RankForge cannot import (MAX and AVE can be)");
        };
        int kh, kw, sh, sw, ph, pw;
        if (p.getGlobalPooling()) {
            kh = in.height();
            kw = in.width();
            sh = sw = 1;
            ph = pw = 0;
        } else {
            if (p.hasKernelSize()) {
                kh = kw = p.getKernelSize();
            } else if (p.hasKernelH() && p.hasKernelW()) {
                kh = p.getKernelH();
                kw = p.getKernelW();
            } else {
                throw new UserInputException("Caffe layer '" + layer + "' (Pooling) sets no kernel_size");
            }
            sh = p.hasStrideH() ? p.getStrideH() : p.getStride();
            sw = p.hasStrideW() ? p.getStrideW() : p.getStride();
            ph = p.hasPadH() ? p.getPadH() : p.getPad();
            pw = p.hasPadW() ? p.getPadW() : p.getPad();
        }
        if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph >= kh || pw >= kw) {
            throw new UserInputException("Caffe layer '" + layer + "' (Pooling): kernel " + kh + "x" + kw + ", stride "
                    + sh + "x" + sw + ", pad " + ph + "x" + pw + " is not a valid pooling");
        }
        if (in.height() + 2 * ph < kh || in.width() + 2 * pw < kw) {
            throw new UserInputException("Caffe layer '" + layer + "' (Pooling): kernel " + kh + "x" + kw
                    + " is larger than its padded input " + in);
        }
        int outH = caffeOutput(in.height(), kh, sh, ph);
        int outW = caffeOutput(in.width(), kw, sw, pw);
        int cropTop = outH - floorOutput(in.height(), kh, sh, ph);
        int cropLeft = outW - floorOutput(in.width(), kw, sw, pw);
        boolean cropped = cropTop > 0 || cropLeft > 0;
        if (!max && cropped && (ph > 0 || pw > 0)) {
            throw new UserInputException("Caffe layer '" + layer + "': average pooling with padding whose output "
                    + "size Caffe rounds up (input " + in + ", kernel " + kh + "x" + kw + ", stride " + sh + "x" + sw
                    + ", pad " + ph + "x" + pw + ") has no exact DL4J equivalent; RankForge cannot import it");
        }
        if (!max
                && cropped
                && (cropTop * sh >= kh || cropLeft * sw >= kw)
                && NativeBackend.selected() == Build.ONEDNN_AVX2) {
            // the emulation pools with padding s >= k, which oneDNN's average pooling refuses (DL4J then fails mid-run)
            throw new UserInputException("Caffe layer '" + layer + "': average pooling rounded up with stride " + sh
                    + "x" + sw + " >= kernel " + kh + "x" + kw + " (input " + in + ") cannot run on the oneDNN build of"
                    + " libnd4j; import it with RANKFORGE_NATIVE=plain (docs/native.md)");
        }
        return new CaffePooling(
                max,
                kh,
                kw,
                sh,
                sw,
                ph + cropTop * sh,
                pw + cropLeft * sw,
                cropTop,
                cropLeft,
                outH,
                outW,
                !max && cropped);
    }

    /** Caffe's pooled size (pooling_layer.cpp): rounded up, but no window may start in the padding past the end. */
    static int caffeOutput(int in, int kernel, int stride, int pad) {
        int out = (int) Math.ceil((double) (in + 2 * pad - kernel) / stride) + 1;
        if (pad > 0 && (long) (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    private static int floorOutput(int in, int kernel, int stride, int pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }

    boolean needsCrop() {
        return cropTop > 0 || cropLeft > 0;
    }
}
