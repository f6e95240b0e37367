package io.rankforge.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fine-tuning schedule: cosine decay from the initial rate to 0, validated settings naming their field. */
class FineTuneScheduleTest {
    @Test
    void cosineDecayFromTheInitialRateToZero() {
        FineTuneSchedule s = new FineTuneSchedule(3, 1e-3, 64, 0, 1);
        assertEquals(1e-3, s.learningRateAt(0, 1000), 1e-15);
        assertEquals(0.5e-3, s.learningRateAt(500, 1000), 1e-15);
        assertEquals(0.25e-3 * (2 + Math.sqrt(2)), s.learningRateAt(250, 1000), 1e-15);
        assertEquals(0, s.learningRateAt(1000, 1000), 1e-15);
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 1000; i += 10) {
            double lr = s.learningRateAt(i, 1000);
            assertTrue(lr <= previous && lr >= 0, "decreasing at " + i);
            previous = lr;
        }
    }

    @Test
    void defaultsAreThoseDocumented() {
        FineTuneSchedule d = FineTuneSchedule.defaults(42);
        assertEquals(FineTuneSchedule.DEFAULT_EPOCHS, d.epochs());
        assertEquals(FineTuneSchedule.DEFAULT_LEARNING_RATE, d.learningRate());
        assertEquals(64, d.batchSize());
        assertEquals(0, d.trainImages(), "all training images");
        assertEquals(0, FineTuneSchedule.none().epochs());
    }

    @Test
    void badSettingsNameTheirField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneSchedule(-1, 1e-3, 64, 0, 1))
                .getMessage()
                .contains("epochs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneSchedule(1, 0, 64, 0, 1))
                .getMessage()
                .contains("learningRate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneSchedule(1, 1e-3, 0, 0, 1))
                .getMessage()
                .contains("batchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FineTuneSchedule(1, 1e-3, 64, -1, 1))
                .getMessage()
                .contains("trainImages"));
    }
}
