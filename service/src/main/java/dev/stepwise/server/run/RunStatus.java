package dev.stepwise.server.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Lifecycle of a run. FINISHED, FAILED and KILLED are terminal; CRASHED is set by the server. */
public enum RunStatus {
    RUNNING, FINISHED, FAILED, KILLED, CRASHED;

    /**
     * Parses a status as request bodies send it: a status name, or the seed tracker's words
     * {@code completed} (FINISHED) and {@code failed} (FAILED), in lower or upper case.
     *
     * @throws IllegalArgumentException for any other text
     */
    @JsonCreator
    public static RunStatus parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("status must not be null");
        }
        return switch (value) {
            case "completed", "COMPLETED" -> FINISHED;
            case "failed" -> FAILED;
            default -> valueOf(value);
        };
    }

    /** Like {@link #parse(String)} but ignoring case (query parameters and TrainLog notes). */
    public static RunStatus parseIgnoringCase(String value) {
        return parse(value.trim().toUpperCase(Locale.ROOT));
    }

    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
