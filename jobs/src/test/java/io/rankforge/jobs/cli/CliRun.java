package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankforge.io.Json;
import io.rankforge.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One CLI run through {@link Main#run} in this JVM: its exit code, stdout and stderr. */
public record CliRun(int code, String out, String err) {

    /** Runs the command with stdout/stderr captured (synchronized: System.out is global). */
    public static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The last line of stdout (where --json puts its object). */
    public String lastLine() {
        List<String> lines = out.strip().lines().toList();
        assertFalse(lines.isEmpty(), "stdout is empty; stderr: " + err);
        return lines.get(lines.size() - 1);
    }

    /** The --json object: the last line of stdout, parsed. */
    public JsonNode json() {
        return Json.parse(lastLine(), "last stdout line");
    }
}
