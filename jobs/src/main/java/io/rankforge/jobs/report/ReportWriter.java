package io.rankforge.jobs.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.AtomicFiles;
import io.rankforge.io.Json;
import io.rankforge.io.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes DIR/report/ (index.html plus its PNG figures) and DIR/summary.json. The report folder is
 * built beside its final place and moved in whole, so a reader never sees a half-written report.
 */
public final class ReportWriter {
    private ReportWriter() {}

    /** Writes the report and the summary; returns the summary object. */
    public static ObjectNode write(StudyResults results, List<PhaseTiming> phases, double totalSeconds, Path outDir) {
        Path report = outDir.resolve("report");
        Path staging = outDir.resolve(".report-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            List<Figure> figures = Charts.drawAll(results, staging);
            ObjectNode provenance = Provenance.describe();
            String html = HtmlReport.render(
                    results,
                    figures,
                    phases,
                    totalSeconds,
                    provenance.path("git_commit").asText("unknown"),
                    Instant.now().toString());
            AtomicFiles.writeString(staging.resolve("index.html"), html);
            replaceDirectory(staging, report);
            ObjectNode summary = StudySummary.of(
                    results, figures, phases, totalSeconds, outDir, report.resolve("index.html"), provenance);
            AtomicFiles.writeString(outDir.resolve("summary.json"), Json.pretty(summary) + "\n");
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + outDir + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * Puts the final phase times and total into the summary (the report's own phase included, which
     * the page cannot show) and writes summary.json again; returns the summary.
     */
    public static ObjectNode finish(ObjectNode summary, List<PhaseTiming> phases, double totalSeconds, Path outDir) {
        summary.put("seconds", Math.round(totalSeconds * 10) / 10.0);
        summary.put(
                "cpu_seconds",
                Math.round(phases.stream().mapToDouble(PhaseTiming::cpuSeconds).sum() * 10) / 10.0);
        summary.set("phases", Json.MAPPER.valueToTree(phases));
        AtomicFiles.writeString(outDir.resolve("summary.json"), Json.pretty(summary) + "\n");
        return summary;
    }

    private static void replaceDirectory(Path fresh, Path target) throws IOException {
        Path old = target.resolveSibling("." + target.getFileName() + "-old-" + System.nanoTime());
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
