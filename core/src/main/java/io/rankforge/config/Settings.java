package io.rankforge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.rankforge.UserInputException;
import io.rankforge.io.BoundedInput;
import io.rankforge.io.InputLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment's configuration: a user's HOCON file and {@code --set key=value} overrides on top of
 * every {@code reference.conf} on the class path (core's engine keys, jobs' Spark keys).
 *
 * <p>Strict on purpose: a key that no reference.conf knows is a typo, and a typo in an experiment
 * file must fail before hours of Spark tasks start, naming the key and the file:line it came from.
 * Typed getters do the same for wrong types and out-of-range values.
 */
public final class Settings {
    /** Every key a RankForge job reads lives under this root. */
    public static final String ROOT = "rankforge";

    private final Config config;
    private final String source;
    private final Set<String> freeForm;

    private Settings(Config config, String source, Set<String> freeForm) {
        this.config = config;
        this.source = source;
        this.freeForm = freeForm;
    }

    /** Only the reference defaults (what an experiment gets when it overrides nothing). */
    public static Settings defaults(String... freeFormPaths) {
        return build(ConfigFactory.empty(), "reference.conf", List.of(), freeFormPaths);
    }

    /**
     * Loads {@code file} (null for none) plus {@code overrides} ("key=value", HOCON syntax for the
     * value; a key without the {@code rankforge.} prefix gets it). Keys under a free-form path (e.g.
     * raw Spark properties) are not checked against the reference.
     */
    public static Settings load(Path file, List<String> overrides, String... freeFormPaths) {
        Config user = ConfigFactory.empty();
        String source = "defaults";
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new UserInputException("configuration file " + file
                        + " does not exist or is not a file; pass an existing .conf file to --conf");
            }
            // a regular file's length is what parseFile will read: checked first, it bounds the parse
            try {
                BoundedInput.checkDeclared(
                        Files.size(file),
                        InputLimits.current().textBytes(),
                        "configuration file " + file,
                        "text-bytes");
            } catch (java.io.IOException e) {
                throw new UserInputException("cannot read configuration file " + file + ": " + e.getMessage(), e);
            }
            try {
                user = ConfigFactory.parseFile(
                        file.toFile(),
                        ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
            } catch (ConfigException e) {
                throw new UserInputException(
                        "configuration file " + file + " is not valid HOCON: " + e.getMessage(), e);
            }
            source = file.toString();
        }
        return build(user, source, overrides, freeFormPaths);
    }

    /** Like {@link #load(Path, List, String...)} for configuration text (e.g. read from a Hadoop filesystem). */
    public static Settings parse(String text, String sourceName, List<String> overrides, String... freeFormPaths) {
        Config user;
        try {
            user = ConfigFactory.parseString(
                    text,
                    ConfigParseOptions.defaults()
                            .setOriginDescription(sourceName)
                            .setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new UserInputException(
                    "configuration file " + sourceName + " is not valid HOCON: " + e.getMessage(), e);
        }
        return build(user, sourceName, overrides, freeFormPaths);
    }

    private static Settings build(Config user, String source, List<String> overrides, String... freeFormPaths) {
        Set<String> freeForm = Set.of(freeFormPaths);
        Config sets = ConfigFactory.empty();
        for (String o : overrides) {
            sets = parseOverride(o).withFallback(sets);
        }
        Config reference = ConfigFactory.defaultReference();
        Config layered = sets.withFallback(user);
        rejectUnknown(layered.root(), "", reference, freeForm);
        Config resolved;
        try {
            resolved = layered.withFallback(reference).resolve();
            resolved.checkValid(reference, ROOT);
        } catch (ConfigException.ValidationFailed e) {
            ConfigException.ValidationProblem p = e.problems().iterator().next();
            throw new UserInputException(
                    "configuration key " + p.path() + " in " + where(p.origin()) + ": " + p.problem()
                            + "; fix the value (defaults and types are in reference.conf)",
                    e);
        } catch (ConfigException e) {
            throw new UserInputException("configuration " + source + ": " + e.getMessage(), e);
        }
        return new Settings(resolved, source, freeForm);
    }

    /** "key=value" → a one-key config whose origin says it came from --set. */
    static Config parseOverride(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new UserInputException(
                    "--set " + kv + ": expected key=value, e.g. --set sweep.samples-per-stratum=10");
        }
        String key = kv.substring(0, eq).trim();
        String value = kv.substring(eq + 1).trim();
        if (!key.equals(ROOT) && !key.startsWith(ROOT + ".")) {
            key = ROOT + "." + key;
        }
        try {
            // a bare value that is not valid HOCON is taken as a string: a path with colons fails to parse, and
            // local[2] (the --set help's own example) parses as a string followed by a list, which HOCON refuses to
            // concatenate (WrongType)
            Config c;
            try {
                c = ConfigFactory.parseString(
                        key + " = " + value, ConfigParseOptions.defaults().setOriginDescription("--set " + kv));
            } catch (ConfigException.Parse | ConfigException.WrongType notHocon) {
                c = ConfigFactory.parseString(
                        key + " = " + com.typesafe.config.ConfigUtil.quoteString(value),
                        ConfigParseOptions.defaults().setOriginDescription("--set " + kv));
            }
            return c;
        } catch (ConfigException e) {
            throw new UserInputException("--set " + kv + ": " + e.getMessage(), e);
        }
    }

    private static void rejectUnknown(ConfigObject object, String prefix, Config reference, Set<String> freeForm) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = com.typesafe.config.ConfigUtil.joinPath(e.getKey());
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (freeForm.contains(path)) {
                continue;
            }
            if (!reference.hasPathOrNull(path)) {
                throw new UserInputException("unknown configuration key " + path + " in "
                        + where(e.getValue().origin()) + "; " + suggestion(path, reference));
            }
            ConfigValue ref = reference.getValue(path);
            if (e.getValue().valueType() == ConfigValueType.OBJECT && ref.valueType() == ConfigValueType.OBJECT) {
                rejectUnknown((ConfigObject) e.getValue(), path, reference, freeForm);
            }
        }
    }

    private static String suggestion(String path, Config reference) {
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        if (!parent.isEmpty()
                && reference.hasPath(parent)
                && reference.getValue(parent).valueType() == ConfigValueType.OBJECT) {
            return "known keys under " + parent + ": "
                    + String.join(
                            ", ", new TreeSet<>(reference.getObject(parent).keySet()));
        }
        return "every key a job reads is under " + ROOT + " and has its default in reference.conf";
    }

    /** "file.conf:12" or "--set k=v" or "reference.conf". */
    public static String where(ConfigOrigin origin) {
        if (origin == null) {
            return "configuration";
        }
        String d = origin.filename() != null ? origin.filename() : origin.description();
        if (origin.filename() != null && origin.lineNumber() > 0) {
            d = d + ":" + origin.lineNumber();
        }
        return d;
    }

    // ----- typed access; every error names the key and where its value came from -----

    public Config raw() {
        return config;
    }

    public String source() {
        return source;
    }

    public String where(String path) {
        return config.hasPathOrNull(path) ? where(config.getValue(path).origin()) : source;
    }

    public UserInputException invalid(String path, String problem) {
        return new UserInputException("configuration key " + path + " in " + where(path) + ": " + problem);
    }

    public boolean has(String path) {
        return config.hasPath(path);
    }

    public String string(String path) {
        try {
            return config.getString(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected a string (" + e.getMessage() + ")");
        }
    }

    public String oneOf(String path, String... allowed) {
        String v = string(path);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw invalid(path, "'" + v + "' is not one of " + String.join(", ", allowed));
    }

    public boolean flag(String path) {
        try {
            return config.getBoolean(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected true or false");
        }
    }

    public long integer(String path, long min, long max) {
        long v;
        try {
            v = config.getLong(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected a whole number");
        }
        if (v < min || v > max) {
            throw invalid(path, v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    public int integer(String path, int min, int max) {
        return (int) integer(path, (long) min, (long) max);
    }

    /** A number in [min, max] (closed interval). */
    public double number(String path, double min, double max) {
        double v;
        try {
            v = config.getDouble(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected a number");
        }
        if (!(v >= min && v <= max)) {
            throw invalid(path, v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A number in (0, max]: for rates, fractions and the like that must be positive. */
    public double positive(String path, double max) {
        double v = number(path, 0, max);
        if (!(v > 0)) {
            throw invalid(path, "must be > 0, got " + v);
        }
        return v;
    }

    public List<String> strings(String path) {
        try {
            return List.copyOf(config.getStringList(path));
        } catch (ConfigException e) {
            throw invalid(path, "expected a list of strings");
        }
    }

    public List<Double> numbers(String path, double min, double max) {
        List<Double> v;
        try {
            v = config.getDoubleList(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected a list of numbers");
        }
        for (double d : v) {
            if (!(d >= min && d <= max)) {
                throw invalid(path, "value " + d + " is outside [" + min + ", " + max + "]");
            }
        }
        return List.copyOf(v);
    }

    /** A list of lists of numbers, e.g. [[0.2, 0.3], [0.45, 0.55]]. */
    public List<List<Double>> numberLists(String path) {
        ConfigList list;
        try {
            list = config.getList(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected a list");
        }
        List<List<Double>> out = new ArrayList<>();
        for (ConfigValue item : list) {
            if (item.valueType() != ConfigValueType.LIST) {
                throw invalid(path, "expected a list of lists of numbers, e.g. [[0.2, 0.3]]");
            }
            List<Double> inner = new ArrayList<>();
            for (ConfigValue x : (ConfigList) item) {
                if (x.valueType() != ConfigValueType.NUMBER) {
                    throw invalid(path, "expected numbers, got " + x.render());
                }
                inner.add(((Number) x.unwrapped()).doubleValue());
            }
            out.add(List.copyOf(inner));
        }
        return List.copyOf(out);
    }

    /** String key → string value pairs of a free-form object (e.g. raw Spark properties). */
    public Map<String, String> stringMap(String path) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!config.hasPath(path)) {
            return out;
        }
        Config sub;
        try {
            sub = config.getConfig(path);
        } catch (ConfigException e) {
            throw invalid(path, "expected an object of key = value pairs");
        }
        for (Map.Entry<String, ConfigValue> e : sub.entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof List || v instanceof Map) {
                throw invalid(path + "." + e.getKey(), "expected a plain value");
            }
            // "spark.executor.memory" = 2g and spark.executor.memory = 2g (nested objects) mean the same
            out.put(String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey())), String.valueOf(v));
        }
        return out;
    }

    /** The resolved {@code rankforge} subtree as HOCON/JSON text (stored with every result). */
    public String renderResolved() {
        return config.getConfig(ROOT)
                .atPath(ROOT)
                .root()
                .render(ConfigRenderOptions.concise().setFormatted(true).setJson(true));
    }

    public boolean isFreeForm(String path) {
        return freeForm.contains(path);
    }
}
