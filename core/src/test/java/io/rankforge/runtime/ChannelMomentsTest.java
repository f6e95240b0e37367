package io.rankforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Per-channel moments of chunked activations equal a double-precision reduction of the whole, in every layout. */
class ChannelMomentsTest {

    @Test
    void chunkedMomentsAreThoseOfTheWholeInEveryLayout() {
        Nd4j.getRandom().setSeed(7);
        check(Nd4j.rand(DataType.FLOAT, 70, 5, 6, 4).muli(3).addi(2), CNN2DFormat.NCHW, new int[] {0, 2, 3});
        check(Nd4j.rand(DataType.FLOAT, 70, 6, 4, 5).muli(3).addi(2), CNN2DFormat.NHWC, new int[] {0, 1, 2});
        check(Nd4j.rand(DataType.FLOAT, 70, 9).muli(3).addi(2), CNN2DFormat.NCHW, new int[] {0});
        check(Nd4j.rand(DataType.DOUBLE, 70, 5, 6, 4), CNN2DFormat.NCHW, new int[] {0, 2, 3});
    }

    @Test
    void otherRanksAreRejected() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> ChannelMoments.of(List.of(Nd4j.rand(DataType.FLOAT, 4, 3, 2)), CNN2DFormat.NCHW));
        assertEquals("channel moments of dense (rank 2) or image (rank 4) activations, got rank 3", e.getMessage());
    }

    private static void check(INDArray whole, CNN2DFormat format, int[] reduce) {
        // uneven chunks, the last a view with an offset into the whole
        List<INDArray> chunks = List.of(
                whole.get(NDArrayIndex.interval(0, 32)).dup(),
                whole.get(NDArrayIndex.interval(32, 64)).dup(),
                whole.get(NDArrayIndex.interval(64, 70)));
        ChannelMoments m = ChannelMoments.of(chunks, format);
        ChannelMoments one = ChannelMoments.of(List.of(whole), format);
        INDArray exact = whole.castTo(DataType.DOUBLE);
        double[] mean = exact.mean(reduce).toDoubleVector();
        double[] var = exact.var(false, reduce).toDoubleVector();
        assertEquals(mean.length, m.mean().length, format + ": one moment per channel");
        for (int c = 0; c < mean.length; c++) {
            assertEquals(mean[c], m.mean()[c], 1e-12 * Math.abs(mean[c]), format + " mean of channel " + c);
            assertEquals(var[c], m.variance()[c], 1e-10 * var[c], format + " variance of channel " + c);
            assertEquals(one.mean()[c], m.mean()[c], 1e-13 * Math.abs(mean[c]), "chunking changes nothing");
        }
    }
}
