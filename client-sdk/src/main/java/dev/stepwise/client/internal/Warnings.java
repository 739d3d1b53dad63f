package dev.stepwise.client.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limited warnings through {@link System.Logger} (name {@code dev.stepwise.client}), so a
 * failing server or a full spool is reported once per interval instead of once per point.
 * Not API: may change without notice. Thread-safe.
 */
public final class Warnings {
    /** The SDK's logger. */
    public static final Logger LOG = System.getLogger("dev.stepwise.client");

    private final long intervalNanos;
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

    /**
     * Creates a warner.
     *
     * @param intervalNanos the least time between two warnings of one kind
     */
    public Warnings(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Logs a warning unless one of the same kind was logged within the interval.
     *
     * @param kind groups warnings for rate limiting
     * @param message the message
     */
    public void warn(String kind, String message) {
        long now = System.nanoTime();
        Long prev = last.get(kind);
        if (prev != null && now - prev < intervalNanos) {
            return;
        }
        last.put(kind, now);
        LOG.log(Level.WARNING, message);
    }
}
