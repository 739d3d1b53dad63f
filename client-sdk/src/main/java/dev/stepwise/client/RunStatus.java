package dev.stepwise.client;

import java.util.Locale;

/**
 * The lifecycle status of a run, as the server reports it.
 *
 * <p>Thread-safe (an enum).
 */
public enum RunStatus {
    /** Open: the trainer is logging (or resumed the run). */
    RUNNING,
    /** Ended normally ({@link Run#finish()}); the seed tracker calls this {@code completed}. */
    FINISHED,
    /** Ended by an error ({@link Run#fail(Throwable)}); the seed tracker calls this {@code failed}. */
    FAILED,
    /** Ended by a JVM shutdown while open. */
    KILLED,
    /** Set by the server when an open run sent no heartbeat or upload for a while. */
    CRASHED;

    /**
     * Parses a status: a status name in any case, or the seed tracker's words {@code completed}
     * ({@link #FINISHED}) and {@code failed} ({@link #FAILED}).
     *
     * @param value the text, surrounding blanks ignored
     * @return the status
     * @throws IllegalArgumentException when the text names no status (or is null)
     */
    public static RunStatus parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("run status must not be null");
        }
        String word = value.trim().toUpperCase(Locale.ROOT);
        if (word.equals("COMPLETED")) {
            return FINISHED;
        }
        for (RunStatus status : values()) {
            if (status.name().equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown run status '" + value
                + "': expected RUNNING, FINISHED (completed), FAILED (failed), KILLED or CRASHED");
    }

    /** @return whether the run has ended: {@link #FINISHED}, {@link #FAILED} or {@link #KILLED} */
    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
