package io.rankforge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.spectrum.Scheme;
import io.rankforge.spectrum.SpectrumCalculator;
import io.rankforge.zoo.ZooArchitecture;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlasThreadsTest {
    private int fullBefore;

    @BeforeEach
    void twoThreadsForLinearAlgebra() {
        NativeBackend.select();
        fullBefore = BlasThreads.full();
        // two, whatever this machine has: the test is about which of the two counts OpenBLAS runs at
        BlasThreads.setFull(2);
    }

    @AfterEach
    void restore() {
        System.clearProperty(BlasThreads.PROPERTY);
        BlasThreads.setFull(fullBefore);
    }

    @Test
    void networksRunOpenBlasOnOneThreadAndLinearAlgebraGetsTheFullCount() {
        BlasThreads.asNd4jSetsIt();
        assertEquals(2, BlasThreads.current(), "before any network: ND4J's count");
        Model net = ZooArchitecture.byId("lenet5").build(1L, 1);
        TrainingKernels.install(net);
        assertEquals(1, BlasThreads.current(), "preparing a network puts OpenBLAS on one thread");
        try (BlasThreads.Scope outer = BlasThreads.forLinearAlgebra()) {
            assertEquals(2, BlasThreads.current());
            try (BlasThreads.Scope inner = BlasThreads.forLinearAlgebra()) {
                assertEquals(2, BlasThreads.current());
            }
            assertEquals(2, BlasThreads.current(), "the outer scope is still open");
            outer.close();
            outer.close(); // twice is harmless: it must not close someone else's scope
            assertEquals(1, BlasThreads.current());
        }
        assertEquals(1, BlasThreads.current());
        BlasThreads.asNd4jSetsIt();
        assertEquals(2, BlasThreads.current(), "DL4J as it comes: the full count again");
    }

    @Test
    void theSvdGivesTheSameValuesAtEitherCountAndLeavesNetworksOnOneThread() {
        Model net = ZooArchitecture.byId("lenet5").build(1L, 1);
        TrainingKernels.install(net);
        INDArray w = SpectrumCalculator.weightsOf(net, "fc1");
        double[] once = SpectrumCalculator.values("fc1", Scheme.DENSE, w.dup()).singularValues();
        assertEquals(1, BlasThreads.current(), "after the SVD, back to one thread for the network");
        System.setProperty(BlasThreads.PROPERTY, "omp");
        BlasThreads.asNd4jSetsIt();
        double[] again = SpectrumCalculator.values("fc1", Scheme.DENSE, w.dup()).singularValues();
        assertArrayEquals(once, again, 1e-9 * once[0], "fc1's singular values");
    }

    @Test
    void ompLeavesNetworksAtTheFullCountAndAnUnknownValueIsRejectedByName() {
        System.setProperty(BlasThreads.PROPERTY, "omp");
        BlasThreads.asNd4jSetsIt();
        TrainingKernels.install(ZooArchitecture.byId("lenet5").build(1L, 1));
        assertEquals(2, BlasThreads.current());
        assertEquals("omp", BlasThreads.label());
        System.setProperty(BlasThreads.PROPERTY, "two");
        UserInputException e = assertThrows(UserInputException.class, BlasThreads::forNetworks);
        assertTrue(
                e.getMessage().contains(BlasThreads.ENVIRONMENT)
                        && e.getMessage().contains("'two'"),
                e.getMessage());
        System.clearProperty(BlasThreads.PROPERTY);
        assertEquals("1", BlasThreads.label());
        assertThrows(IllegalArgumentException.class, () -> BlasThreads.setFull(0));
    }

    @Test
    void matrixProductsStillWorkOnOneThread() {
        BlasThreads.forNetworks();
        assertEquals(1, BlasThreads.current());
        INDArray a = Nd4j.rand(DataType.FLOAT, 300, 200);
        INDArray b = Nd4j.rand(DataType.FLOAT, 200, 100);
        INDArray oneThread = a.mmul(b);
        BlasThreads.asNd4jSetsIt();
        INDArray full = a.mmul(b);
        // the same product up to the order of its partial sums
        assertEquals(0.0, oneThread.sub(full).amaxNumber().doubleValue(), 1e-4);
    }
}
