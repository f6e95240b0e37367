package io.rankforge.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.testing.ReferenceData;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PchipTest {

    @Test
    void matchesEveryReferenceVector() throws Exception {
        JsonNode root = Json.parse(Files.readString(ReferenceData.reference("pchip/vectors.json")), "vectors.json");
        JsonNode cases = root.get("cases");
        assertTrue(cases.size() > 0, "vectors.json has no cases");
        int checked = 0;
        for (int c = 0; c < cases.size(); c++) {
            JsonNode k = cases.get(c);
            double[] x = doubles(k.get("x")),
                    y = doubles(k.get("y")),
                    q = doubles(k.get("q")),
                    v = doubles(k.get("value"));
            Pchip p = Pchip.through(x, y);
            for (int i = 0; i < q.length; i++) {
                assertEquals(v[i], p.value(q[i]), 1e-9, "case " + c + " at q=" + q[i]);
                checked++;
            }
        }
        assertTrue(checked > 100, "only " + checked + " values checked");
    }

    @Test
    void rejectsBadKnots() {
        assertThrows(IllegalArgumentException.class, () -> Pchip.through(new double[] {0, 0}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Pchip.through(new double[] {0}, new double[] {1}));
    }

    @Test
    void monotoneDataGivesMonotoneInterpolant() {
        Pchip p = Pchip.through(new double[] {0, 1, 2, 5, 6}, new double[] {0, 0.5, 0.9, 0.95, 1.0});
        double prev = -1;
        for (double q = 0; q <= 6; q += 0.01) {
            double v = p.value(q);
            assertTrue(v >= prev - 1e-12, "not monotone at " + q);
            prev = v;
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }
}
