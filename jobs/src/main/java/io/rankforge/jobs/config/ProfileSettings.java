package io.rankforge.jobs.config;

import io.rankforge.config.Settings;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** @param excludePattern layers whose name matches stay uncompressed and out of every budget ("" for none) */
public record ProfileSettings(String excludePattern) {
    static ProfileSettings from(Settings s) {
        String p = s.string("rankforge.profile.exclude-pattern");
        try {
            Pattern.compile(p);
        } catch (PatternSyntaxException e) {
            throw s.invalid("rankforge.profile.exclude-pattern", "not a regular expression: " + e.getDescription());
        }
        return new ProfileSettings(p);
    }

    public boolean excludes(String layer) {
        return !excludePattern.isEmpty()
                && Pattern.compile(excludePattern).matcher(layer).matches();
    }
}
