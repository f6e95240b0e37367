package io.rankforge.jobs.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The engine's messages name its own fields ({@code targetFlops}, {@code dataDir}, ...), never this CLI's flags;
 * this class says which input of a command each field is, and rewrites a message for the user of that command:
 * a flag for commands driven by flags, a configuration key for commands driven by {@code --conf} and
 * {@code --set} (the Spark jobs with {@code --conf}, and {@code quickstart}).
 */
public final class CliVocabulary {
    /** Field → flag, for every command that takes the flag under this name. */
    static final Map<String, String> FLAGS = Map.of(
            "targetFlops", "--target-flops",
            "targetParams", "--target-params",
            "minRankFraction", "--min-rank-fraction",
            "excludePattern", "--exclude-pattern",
            "modelFile", "--model",
            "prototxtFile", "--prototxt",
            "profilePath", "--profile",
            "ranksFile", "--ranks",
            "dataDir", "--data-dir",
            "outFile", "--out");

    /** Field → configuration key, for commands driven by a configuration. */
    static final Map<String, String> CONFIG_KEYS = Map.of(
            "targetFlops", "rankforge.select.budgets",
            "minRankFraction", "rankforge.select.min-rank-fraction",
            "excludePattern", "rankforge.profile.exclude-pattern",
            "modelFile", "rankforge.experiment.models",
            "dataDir", "rankforge.data.dir");

    /** Where one command names a field differently from {@link #FLAGS}. */
    private static final Map<String, Map<String, String>> BY_COMMAND = Map.of(
            "rankforge data fetch", Map.of("dataDir", "--dir"),
            "rankforge profile", Map.of("profilePath", "--reference"));

    private static final Pattern WORD = Pattern.compile("\\b[a-z][A-Za-z]*\\b");

    private CliVocabulary() {}

    /** The message with each field name replaced by what the user of {@code command} calls it. */
    public static String forUser(String message, CommandLine command, CommandLine.ParseResult parsed) {
        if (message == null) {
            return null;
        }
        return rewrite(message, names(command.getCommandSpec().qualifiedName(" "), configDriven(command, parsed)));
    }

    /** Field → name for one command (by its qualified name), configuration-driven or not. */
    static Map<String, String> names(String qualifiedCommand, boolean configDriven) {
        Map<String, String> m = new LinkedHashMap<>(configDriven ? CONFIG_KEYS : FLAGS);
        if (!configDriven) {
            m.putAll(BY_COMMAND.getOrDefault(qualifiedCommand, Map.of()));
        }
        return m;
    }

    static String rewrite(String message, Map<String, String> names) {
        Matcher m = WORD.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(names.getOrDefault(m.group(), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean configDriven(CommandLine command, CommandLine.ParseResult parsed) {
        if (command.getCommandName().equals("quickstart")) {
            return true;
        }
        CommandLine.ParseResult leaf = parsed;
        while (leaf != null && leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return leaf != null && leaf.hasMatchedOption("--conf");
    }
}
