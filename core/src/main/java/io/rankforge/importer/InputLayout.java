package io.rankforge.importer;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RankForge's images are NCHW; a model imported from Keras with channels_last takes NHWC. This turns
 * an NCHW batch into the layout a model's {@link InputType} asks for.
 */
public final class InputLayout {
    private InputLayout() {}

    /** The batch as the model takes it: unchanged for NCHW (and non-image) inputs, permuted for NHWC. */
    public static INDArray forModel(INDArray nchw, InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional c
                && c.getFormat() == CNN2DFormat.NHWC
                && nchw.rank() == 4) {
            return nchw.permute(0, 2, 3, 1).dup('c');
        }
        return nchw;
    }
}
