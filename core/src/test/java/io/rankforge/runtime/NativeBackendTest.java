package io.rankforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.runtime.NativeBackend.Build;
import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class NativeBackendTest {
    private static final Set<String> AVX2 = Set.of("sse4_2", "avx", "avx2", "fma");
    private static final Set<String> OLD_CPU = Set.of("sse4_2", "avx");

    @Test
    void autoTakesOneDnnOnlyWhereTheCpuAndClasspathAllowIt() {
        assertEquals(Build.ONEDNN_AVX2, NativeBackend.choose(null, "Linux", "amd64", AVX2, true));
        assertEquals(Build.ONEDNN_AVX2, NativeBackend.choose(" AUTO ", "Linux", "amd64", AVX2, true));
        assertEquals(Build.PLAIN, NativeBackend.choose("auto", "Linux", "amd64", OLD_CPU, true));
        assertEquals(Build.PLAIN, NativeBackend.choose("auto", "Linux", "amd64", AVX2, false));
        assertEquals(Build.PLAIN, NativeBackend.choose("auto", "Linux", "aarch64", AVX2, true));
        assertEquals(Build.PLAIN, NativeBackend.choose("auto", "Mac OS X", "x86_64", AVX2, true));
    }

    @Test
    void overridesAreHonouredOrRejectedWithTheSettingNamed() {
        assertEquals(Build.PLAIN, NativeBackend.choose("plain", "Linux", "amd64", AVX2, true));
        assertEquals(Build.ONEDNN_AVX2, NativeBackend.choose("onednn", "Linux", "amd64", AVX2, true));
        UserInputException noAvx2 = assertThrows(
                UserInputException.class, () -> NativeBackend.choose("onednn", "Linux", "amd64", OLD_CPU, true));
        assertTrue(noAvx2.getMessage().contains("RANKFORGE_NATIVE")
                && noAvx2.getMessage().contains("no AVX2"));
        UserInputException unknown = assertThrows(
                UserInputException.class, () -> NativeBackend.choose("fast", "Linux", "amd64", AVX2, true));
        assertTrue(unknown.getMessage().contains("'fast'"), unknown.getMessage());
    }

    @Test
    void javaCppChecksTheResidentSetPerAllocationOnlyWhereTheUserAskedForIt() {
        // the launcher's select() ran before ND4J loaded: JavaCPP read the 0 it set (no statm read per allocation)
        assertEquals(0L, org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        String lower = System.getProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY);
        String camel = System.getProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY_CAMEL);
        try {
            System.clearProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY_CAMEL);
            System.setProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY, "8g"); // a user's own limit stays in force
            NativeBackend.switchOffPerAllocationResidentSetCheck();
            assertEquals(null, System.getProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY_CAMEL));
            assertEquals("8g", System.getProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY));
            System.clearProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY);
            NativeBackend.switchOffPerAllocationResidentSetCheck();
            assertEquals("0", System.getProperty(NativeBackend.PHYSICAL_BYTES_PROPERTY_CAMEL));
        } finally {
            restore(NativeBackend.PHYSICAL_BYTES_PROPERTY, lower);
            restore(NativeBackend.PHYSICAL_BYTES_PROPERTY_CAMEL, camel);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void thisProcessRunsTheBuildItsCpuCalledForWithHelpersEngaged() {
        // the test launcher selected the build (NativeBackendSessionListener), as Main does for the CLI
        Build expected = NativeBackend.choose(
                System.getenv(NativeBackend.ENVIRONMENT),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                NativeBackend.cpuFlags(),
                true);
        assertEquals(expected, NativeBackend.selected());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build());
        net.init();
        boolean hasHelper = helperOf(net.getLayer(0)) != null;
        if (expected == Build.ONEDNN_AVX2) {
            assertTrue(NativeBackend.helpersActive(), "oneDNN build loaded but DL4J's helpers are off");
            assertTrue(hasHelper, "a convolution layer has no oneDNN helper");
        } else {
            assertFalse(NativeBackend.helpersActive());
            assertFalse(hasHelper);
        }
    }

    private static Object helperOf(Object layer) {
        for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
            try {
                var f = c.getDeclaredField("helper");
                f.setAccessible(true);
                return f.get(layer);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no helper field on " + layer.getClass());
    }
}
