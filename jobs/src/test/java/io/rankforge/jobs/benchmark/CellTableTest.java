package io.rankforge.jobs.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One table, two renderings: the same cells in Markdown and HTML, each escaped for its format. */
class CellTableTest {
    static final CellTable T = new CellTable(
            List.of("model", "ρ [interval]"), List.of(List.of("a|b", "0.5 [0.1, 0.9]"), List.of("<x>", "too few (4)")));

    @Test
    void markdown() {
        assertEquals(
                "| model | ρ [interval] |\n| --- | --- |\n| a\\|b | 0.5 [0.1, 0.9] |\n| <x> | too few (4) |\n",
                T.markdown());
    }

    @Test
    void html() {
        assertEquals(
                "<table><tr><th>model</th><th>ρ [interval]</th></tr>\n<tr><td>a|b</td><td>0.5 [0.1, 0.9]</td></tr>\n"
                        + "<tr><td>&lt;x&gt;</td><td>too few (4)</td></tr>\n</table>\n",
                T.html());
    }

    @Test
    void everyRowHasACellPerColumn() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new CellTable(List.of("a", "b"), List.of(List.of("1"))));
        assertEquals("a row has 1 cells, the header 2", e.getMessage());
    }
}
