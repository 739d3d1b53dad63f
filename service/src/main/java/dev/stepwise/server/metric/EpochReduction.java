package dev.stepwise.server.metric;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/** How the points of one key within one epoch become one value. */
public enum EpochReduction {
    MEAN, LAST, MEDIAN, MAX, MIN, SUM;

    private static final Set<String> LAST_KEYS = Set.of("lr", "learning_rate", "iter_budget");
    private static final Set<String> MEDIAN_KEYS = Set.of("grad_norm", "error_min", "error_med", "error_max",
            "iter_min", "iter_med", "iter_max");

    /** The default reduction, chosen by the last {@code /}-segment of the key, case-insensitive. */
    public static EpochReduction defaultFor(String key) {
        String last = key.substring(key.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (LAST_KEYS.contains(last)) {
            return LAST;
        }
        if (MEDIAN_KEYS.contains(last)) {
            return MEDIAN;
        }
        return last.equals("time") ? MAX : MEAN;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EpochReduction parse(String value) {
        for (EpochReduction r : values()) {
            if (r.wire().equalsIgnoreCase(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("reduction must be one of mean, last, median, max, min, sum");
    }
}
