package io.rankforge.jobs.benchmark;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A table of formatted cells, written as Markdown (leaderboard.md) or HTML (the leaderboard page) from the same
 * rows, so that the two files cannot disagree.
 */
record CellTable(List<String> header, List<List<String>> rows) {
    CellTable {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + r.size() + " cells, the header " + header.size());
            }
        }
    }

    String markdown() {
        StringBuilder b = new StringBuilder(line(header))
                .append(line(header.stream().map(h -> "---").toList()));
        rows.forEach(r -> b.append(line(r)));
        return b.toString();
    }

    String html() {
        StringBuilder b = new StringBuilder("<table><tr>");
        header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String line(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
