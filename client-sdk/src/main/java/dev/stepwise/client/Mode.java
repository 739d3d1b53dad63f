package dev.stepwise.client;

import java.util.Locale;

/**
 * Where a {@link Stepwise} client sends what a trainer logs.
 *
 * <p>Thread-safe (an enum).
 */
public enum Mode {
    /** Upload to the server in the background; fall back to the spool directory when it is unreachable. */
    ONLINE,
    /** Never touch the network; write every batch and run event to the spool directory for a later {@code sync}. */
    OFFLINE,
    /** Send nothing and write nothing: logging calls only update counters. */
    DISABLED;

    /**
     * Parses a mode name as found in the {@code STEPWISE_MODE} environment variable.
     *
     * <p>Accepts the mode names in any case, and the TrainLog destination words {@code false},
     * {@code off}, {@code none}, {@code no} and {@code disabled} for {@link #DISABLED}. The client
     * itself reads {@code STEPWISE_MODE} with {@link LogDestination#parse(String)}, which also takes a
     * TrainLog file path.
     *
     * @param value the text to parse; {@code null} or blank means {@link #ONLINE}
     * @return the mode
     * @throws IllegalArgumentException when the text names no mode
     */
    public static Mode parse(String value) {
        Mode mode = parseOrNull(value);
        if (mode == null) {
            throw new IllegalArgumentException(
                    "Unknown Stepwise mode '" + value + "': expected online, offline or disabled (false/off/none/no)");
        }
        return mode;
    }

    /** The mode a word names ({@code null} or blank: online), or {@code null} when it names none. */
    static Mode parseOrNull(String value) {
        if (value == null || value.isBlank()) {
            return ONLINE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "online", "on", "true", "yes" -> ONLINE;
            case "offline" -> OFFLINE;
            case "disabled", "false", "off", "none", "no" -> DISABLED;
            default -> null;
        };
    }
}
