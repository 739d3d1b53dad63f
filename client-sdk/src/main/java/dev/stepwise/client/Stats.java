package dev.stepwise.client;

import java.util.Map;

/**
 * A snapshot of a client's counters, in points unless said otherwise.
 *
 * <p>Immutable and thread-safe. Taken with {@link Stepwise#stats()}.
 *
 * @param logged points accepted by {@code log} calls (including ones later dropped)
 * @param uploaded points the server accepted from live batches (duplicates included)
 * @param retried upload attempts that were retried (requests, not points)
 * @param spooled points written to the spool directory
 * @param replayed points uploaded from the spool directory
 * @param dropped points lost: invalid, rejected by the server with a non-retryable answer,
 *                or beyond the spool byte cap
 * @param pending points logged but not yet uploaded, spooled or dropped
 * @param droppedReasons the dropped points by reason, such as {@code rejected by the server (HTTP 404)},
 *                       {@code invalid key}, {@code run already ended} or {@code spool full}
 */
public record Stats(long logged, long uploaded, long retried, long spooled, long replayed, long dropped,
                    long pending, Map<String, Long> droppedReasons) {

    /** Copies the reasons; an absent map is empty. */
    public Stats {
        droppedReasons = droppedReasons == null ? Map.of() : Map.copyOf(droppedReasons);
    }

    /**
     * A snapshot without reasons.
     *
     * @param logged points accepted by {@code log}
     * @param uploaded points accepted from live batches
     * @param retried retried requests
     * @param spooled points written to the spool
     * @param replayed points uploaded from the spool
     * @param dropped points lost
     * @param pending points not yet settled
     */
    public Stats(long logged, long uploaded, long retried, long spooled, long replayed, long dropped, long pending) {
        this(logged, uploaded, retried, spooled, replayed, dropped, pending, Map.of());
    }
}
