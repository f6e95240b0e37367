package io.rankforge.jobs.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    @Test
    void showsPhaseTasksAndAnEstimateOfTheTimeLeft() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ConsoleProgress p = ConsoleProgress.lines(new PrintStream(buf, true, StandardCharsets.UTF_8), 3600)) {
            p.startPhase(6, 8, "sweep");
            p.phase("trials", 40);
            Thread.sleep(50);
            for (int i = 0; i < 10; i++) {
                p.taskDone();
            }
            String status = p.status();
            assertTrue(status.startsWith("[6/8] sweep (trials) · 10/40 tasks · "), status);
            assertTrue(status.contains("ETA "), status);
            p.endPhase("40 trials");
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("rankforge: [6/8] sweep · started"), out);
        assertTrue(out.contains("done in 0:00 · 40 trials"), out);
        assertEquals("1:01:01", ConsoleProgress.clock(3661));
        assertEquals("2:05", ConsoleProgress.clock(125));
    }
}
