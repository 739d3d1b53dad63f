package dev.stepwise.server.metric;

import java.util.List;
import java.util.Locale;

/**
 * A key pattern where {@code *} stands for any characters (case-insensitive; every other character
 * is literal). Matching places the literal segments greedily from the left, which is correct for
 * {@code *}-only patterns and takes at most one scan of the key per segment — no backtracking, so
 * a pattern like {@code *a*a*a*a*b} against a long key costs microseconds, not minutes.
 */
record Glob(String pattern, String prefix, List<String> middle, String suffix, boolean hasStar) {

    /** Patterns are at most this long (rules are stored and listed per project). */
    static final int MAX_LENGTH = 250;

    static Glob of(String pattern) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        String[] parts = lower.split("\\*", -1);
        if (parts.length == 1) {
            return new Glob(pattern, lower, List.of(), "", false);
        }
        return new Glob(pattern, parts[0], List.of(parts).subList(1, parts.length - 1), parts[parts.length - 1],
                true);
    }

    boolean matches(String key) {
        String text = key.toLowerCase(Locale.ROOT);
        if (!hasStar) {
            return text.equals(prefix);
        }
        if (text.length() < prefix.length() + suffix.length() || !text.startsWith(prefix) || !text.endsWith(suffix)) {
            return false;
        }
        int from = prefix.length();
        int end = text.length() - suffix.length();
        for (String segment : middle) {
            if (segment.isEmpty()) {
                continue;
            }
            int at = text.indexOf(segment, from);
            if (at < 0 || at + segment.length() > end) {
                return false;
            }
            from = at + segment.length();
        }
        return true;
    }
}
