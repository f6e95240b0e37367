package io.rankforge.jobs.run;

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
        assertEquals("0:40", ConsoleProgress.clock(40));
        assertEquals("2:05", ConsoleProgress.clock(125));
    }

    @Test
    void aJobsPhaseIsThePhaseWithTheSameFormat() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ConsoleProgress p = ConsoleProgress.lines(new PrintStream(buf, true, StandardCharsets.UTF_8), 3600)) {
            p.phase("sweep", 4);
            for (int i = 0; i < 3; i++) {
                p.taskDone();
            }
            String status = p.status();
            assertTrue(status.startsWith("[sweep] · 3/4 tasks · 0:0"), status);
            assertTrue(status.contains(" · ETA 0:0"), status);
            p.taskDone();
            p.note("selections: 4 picks");
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("rankforge: [sweep] · 4 tasks\n"), out);
        assertTrue(out.contains("rankforge: [sweep] · 4/4 tasks · 0:00\n"), out);
        assertTrue(out.contains("rankforge: selections: 4 picks"), out);
    }
}
