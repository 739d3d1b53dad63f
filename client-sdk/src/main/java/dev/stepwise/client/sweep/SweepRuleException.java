package dev.stepwise.client.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * A sweep tree breaks a rule of expansion (mode rules, a missing seed, an empty axis, unreadable
 * YAML). The CLI answers it with exit code 2. Immutable.
 */
public final class SweepRuleException extends Exception {

    private static final long serialVersionUID = 1L;

    /** One broken rule: the file, the key (null for the whole file) and what is wrong. */
    public record Violation(Path file, String key, String message) {
        @Override
        public String toString() {
            return file + (key == null ? "" : ": key '" + key + "'") + ": " + message;
        }
    }

    private final transient List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param violations every broken rule found, at least one
     */
    public SweepRuleException(List<Violation> violations) {
        super(String.join("\n", violations.stream().map(Violation::toString).toList()));
        this.violations = List.copyOf(violations);
    }

    /** @return every broken rule found, in tree order */
    public List<Violation> violations() {
        return violations;
    }
}
