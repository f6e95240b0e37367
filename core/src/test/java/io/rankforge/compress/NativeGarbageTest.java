package io.rankforge.compress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The collection during training happens at most once per interval. */
class NativeGarbageTest {
    @Test
    void collectsOnlyOnceTheIntervalHasPassed() throws Exception {
        NativeGarbage g = new NativeGarbage(1);
        assertFalse(g.collectIfDue(), "not before the first interval");
        Thread.sleep(1100);
        assertTrue(g.collectIfDue());
        assertFalse(g.collectIfDue(), "the interval restarts at the collection");
    }

    @Test
    void theIntervalIsAtLeastASecond() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NativeGarbage(0));
        assertTrue(e.getMessage().contains("intervalSeconds"), e.getMessage());
    }
}
