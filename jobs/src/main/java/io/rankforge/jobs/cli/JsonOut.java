package io.rankforge.jobs.cli;

import io.rankforge.io.Json;
import java.io.PrintStream;

/**
 * The --json contract: exactly one JSON object, on one line, as the last line of stdout.
 * Everything else a command says goes to stderr.
 */
public final class JsonOut {
    private JsonOut() {}

    public static void print(Object jsonObject) {
        PrintStream out = System.out;
        out.println(Json.line(jsonObject));
        out.flush();
    }
}
