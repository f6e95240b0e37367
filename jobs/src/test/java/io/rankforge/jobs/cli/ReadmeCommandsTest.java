package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rankforge.io.Json;
import io.rankforge.jobs.e2e.Lenet5Fixture;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * README.md's commands run as written: every {@code bin/rankforge ...} line of its fenced code blocks is run
 * through the real CLI entry point ({@link io.rankforge.jobs.Main#run}, in this JVM, in README order so that a
 * command finds what an earlier one wrote) and must exit 0; with {@code --json} its last stdout line must be one
 * JSON object. The slow ones ({@link #SLOW}) are parsed by the CLI's own picocli parser instead, so an option
 * README shows and the CLI lacks still fails. The fenced {@code bin/rankforge} lines of docs/*.md are parsed the
 * same way (most hold placeholders: {@code DIR}, {@code $job}, files of the reader's own).
 *
 * <p>Substitutions, since the commands run inside a test rather than in a shell at the repository root:
 *
 * <ul>
 *   <li>a path under {@code reference/} becomes that path in this repository;
 *   <li>{@code models/lenet5.zip}, which README's (slow) {@code zoo train} writes, is a lenet5 trained briefly on
 *       real Fashion-MNIST ({@link Lenet5Fixture}), written to that path of the working folder with a sidecar
 *       {@code models/lenet5.json} naming its dataset and input shape (zoo train's sidecar holds these and more);
 *   <li>{@code ranks.json} is written with the JSON object README shows in the command's own comment
 *       ({@code # {"conv2": 10, "fc1": 40}});
 *   <li>a command with {@code --measure-sensitivity} measures on {@link #HELD_OUT} held-out images
 *       ({@code --held-out} appended) instead of its default 5,000: the same code path, a tenth of the time;
 *   <li>every other relative path (outputs such as {@code lenet5-profile.json}) is resolved in a temporary working
 *       folder shared by all commands, as a shell's current directory would be.
 * </ul>
 */
class ReadmeCommandsTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReadmeCommandsTest.class);

    /**
     * Commands too slow for a unit test, by their leading words or an option they carry, each with why: they are
     * parsed, not run.
     */
    static final List<String> SLOW = List.of(
            "quickstart", // the whole study: about 10 minutes
            "zoo train", // trains a network: minutes per epoch
            "compress --model models/vgg-mini.zip", // needs the vgg-mini zoo train writes; fine-tunes for minutes
            "sweep", // Spark jobs of the validation study
            "sensitivity",
            "validate",
            "--conf"); // any command run as a Spark job from an experiment configuration

    /** Held-out images a README command measures sensitivity on here (its default is 5,000: minutes). */
    static final int HELD_OUT = 500;

    static final Pattern FENCE = Pattern.compile("(?s)```[a-z]*\\n(.*?)```");

    @TempDir
    static Path work;

    @BeforeAll
    static void fixtures() throws IOException {
        Path model = work.resolve("models/lenet5.zip");
        Lenet5Fixture.train(model);
        // the sidecar's fields the commands read (zoo train writes these and more): the dataset and input shape
        Files.writeString(
                work.resolve("models/lenet5.json"),
                "{\"format\": \"rankforge-model/1\", \"architecture\": \"lenet5\", \"dataset\": \"fashion-mnist\", "
                        + "\"input_shape\": [1, 28, 28]}\n");
    }

    /** One command line of a document: its text (continuations joined, comment kept apart) and where it is. */
    record Command(String doc, String text, String comment) {
        List<String> args() {
            List<String> words = shellWords(text);
            assertEquals("bin/rankforge", words.get(0), text);
            return words.subList(1, words.size());
        }

        boolean slow() {
            String joined = " " + String.join(" ", args()) + " ";
            return SLOW.stream()
                    .anyMatch(s ->
                            s.startsWith("--") ? joined.contains(" " + s + " ") : joined.startsWith(" " + s + " "));
        }

        @Override
        public String toString() {
            return doc + ": " + text;
        }
    }

    static List<Command> commands(Path doc) throws IOException {
        String text = Files.readString(doc);
        List<Command> out = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            String block = m.group(1).replaceAll("\\\\\\n\\s*", " ");
            for (String line : block.split("\\n")) {
                String l = line.strip();
                if (!l.startsWith("bin/rankforge ") && !l.equals("bin/rankforge")) {
                    continue;
                }
                int hash = commentStart(l);
                out.add(new Command(
                        ReferenceData.repoRoot().relativize(doc).toString(),
                        (hash < 0 ? l : l.substring(0, hash)).strip().replaceAll("\\s+", " "),
                        hash < 0 ? "" : l.substring(hash + 1).strip()));
            }
        }
        return out;
    }

    @Test
    void everyReadmeCommandRunsAsWritten() throws IOException {
        List<Command> commands = commands(ReferenceData.repoRoot().resolve("README.md"));
        assertTrue(commands.size() >= 10, "README's commands were not found: " + commands);
        int ran = 0, parsed = 0;
        for (Command c : commands) {
            if (c.slow()) {
                parse(c, c.args());
                parsed++;
                continue;
            }
            List<String> args = substitute(c);
            if (args.contains("--measure-sensitivity") && !args.contains("--held-out")) {
                args.addAll(List.of("--held-out", Integer.toString(HELD_OUT)));
            }
            long t0 = System.nanoTime();
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(
                    0, r.code(), () -> c + "\nexit " + r.code() + ", stdout:\n" + r.out() + "\nstderr:\n" + r.err());
            if (args.contains("--json")) {
                assertDoesNotThrow(() -> Json.parse(r.lastLine(), "last stdout line"), c.toString());
                assertTrue(r.json().isObject(), c.toString());
            }
            LOG.debug("README command ran in {} s: {}", (System.nanoTime() - t0) / 1e9, c.text());
            ran++;
        }
        assertTrue(ran >= 7, "quick README commands run: " + ran);
        assertTrue(parsed >= 2, "slow README commands parsed: " + parsed);
    }

    @Test
    void everyDocsCommandParses() throws IOException {
        List<Command> all = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ReferenceData.repoRoot().resolve("docs"))) {
            for (Path d :
                    docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                all.addAll(commands(d));
            }
        }
        assertFalse(all.isEmpty(), "no bin/rankforge command in docs/*.md");
        for (Command c : all) {
            if (c.text().contains("$")) {
                continue; // a shell variable stands for a command (spark.md's loop over the jobs)
            }
            if (c.text().contains(" [") || c.text().contains("|")) {
                continue; // a synopsis ([optional] parts, a|b choices), not a command
            }
            parse(c, c.args());
        }
    }

    @Test
    void aCommandTheCliRejectsFails() {
        Command bad = new Command("test", "bin/rankforge select --profile p.json --no-such-option 1", "");
        assertThrows(AssertionError.class, () -> parse(bad, bad.args()));
        assertEquals(List.of("a b", "c", "'d'", ".*proj.*"), shellWords("\"a b\" c \"'d'\" '.*proj.*'"));
    }

    /** Parses with the CLI's picocli parser (options, their arity and types); executes nothing. */
    static void parse(Command c, List<String> args) {
        try {
            io.rankforge.jobs.cli.Cli.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            fail(c + "\nthe CLI rejects it: " + e.getMessage());
        }
    }

    /** The command's arguments with the substitutions of the class comment applied. */
    static List<String> substitute(Command c) throws IOException {
        List<String> out = new ArrayList<>();
        for (String a : c.args()) {
            if (a.startsWith("reference/")) {
                out.add(ReferenceData.repoRoot().resolve(a).toString());
            } else if (a.equals("ranks.json")) {
                Path f = work.resolve(a);
                Files.writeString(
                        f, Json.parse(c.comment(), "the comment of " + c).toString());
                out.add(f.toString());
            } else if (!a.startsWith("-")
                    && !a.startsWith("/")
                    && (a.contains("/") || a.matches(".*\\.(json|zip|onnx)"))) {
                out.add(work.resolve(a).toString());
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** Where a shell comment starts ('#' outside quotes, at a word's start), or -1. */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** Splits a command line into words as a POSIX shell does for plain words and single/double quotes. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            fail("unbalanced quote in: " + line);
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
