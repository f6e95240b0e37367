package io.rankforge.decompose;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes parameters into a freshly built network's parameter views, checking shapes. */
final class ParamCopy {
    private ParamCopy() {}

    /** Copies every parameter of {@code from} into the same-named views of {@code to}; returns the values written. */
    static long all(Map<String, INDArray> from, Map<String, INDArray> to, String what) {
        long n = 0;
        for (var e : from.entrySet()) {
            n += one(e.getValue(), to, e.getKey(), what);
        }
        return n;
    }

    /** Copies {@code value} into the view {@code to.get(key)}; returns the number of values written. */
    static long one(INDArray value, Map<String, INDArray> to, String key, String what) {
        INDArray target = to.get(key);
        if (target == null) {
            throw new IllegalStateException(what + ": the rebuilt layer has no parameter " + key);
        }
        if (!Arrays.equals(target.shape(), value.shape())) {
            throw new IllegalStateException(what + ": parameter " + key + " has shape " + Arrays.toString(value.shape())
                    + " but the rebuilt layer expects " + Arrays.toString(target.shape()));
        }
        target.assign(value.castTo(target.dataType()));
        return value.length();
    }

    /** Every parameter of a decomposed layer except its weights (bias, layer-norm gain), for {@code L_b}. */
    static long allButWeights(Map<String, INDArray> from, Map<String, INDArray> to, String what) {
        long n = 0;
        for (var e : from.entrySet()) {
            if (!e.getKey().equals("W")) {
                n += one(e.getValue(), to, e.getKey(), what);
            }
        }
        return n;
    }

    static void checkComplete(long written, long expected, String what) {
        if (written != expected) {
            throw new IllegalStateException(
                    what + ": wrote " + written + " parameter values but the network has " + expected);
        }
    }
}
