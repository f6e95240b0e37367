package org.nd4j.nativeblas;

/**
 * Bridge for a class DL4J 1.0.0-M2.1 looks up by a name that no longer exists.
 *
 * <p>DL4J's oneDNN capability probe ({@code BaseMKLDNNHelper.mklDnnEnabled}) loads
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls {@code getInstance().isUseMKLDNN()}. In
 * nd4j-native 1.0.0-M2.1 that class moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and
 * the method became {@code isUseONEDNN()}, so the probe always fails and every layer falls back to im2col + gemm,
 * even with the oneDNN build loaded. This class answers the probe with the real environment's value; nothing else
 * uses it. Remove it when DL4J is upgraded to a version whose probe finds the class (docs/native.md).
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    /** The probe's view of libnd4j's environment. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether libnd4j was built with oneDNN and uses it. */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance()
                    .isUseONEDNN();
        }
    }
}
