package io.rankforge.jobs.report;

import java.util.Locale;

/** Number formatting shared by chart titles, the HTML tables and the console. */
final class Format {
    private Format() {}

    static String num(Double v, int decimals) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    static String pct1(Double fraction) {
        if (fraction == null || fraction.isNaN()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** "0.71 [0.52, 0.84]" or "–" when unknown. */
    static String withInterval(Double v, Double lo, Double hi) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        if (lo == null || hi == null || lo.isNaN() || hi.isNaN()) {
            return num(v, 2);
        }
        return num(v, 2) + " [" + num(lo, 2) + ", " + num(hi, 2) + "]";
    }

    /** A file-name-safe form of a label. */
    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT)
                .replace("%", "pct")
                .replaceAll("[^a-z0-9.]+", "-")
                .replaceAll("(^-+|-+$)", "");
    }
}
