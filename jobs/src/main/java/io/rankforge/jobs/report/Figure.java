package io.rankforge.jobs.report;

import java.util.Objects;

/**
 * One PNG of the report.
 *
 * @param section  the report section it belongs to (metrics, methods, ranks)
 * @param file     file name, relative to the report folder
 * @param title    the chart title (also the image's alt text)
 */
public record Figure(String section, String file, String title) {
    public Figure {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(title, "title");
        if (file.contains("/") || file.contains("..")) {
            throw new IllegalArgumentException("figure file must be a plain name, got " + file);
        }
    }
}
