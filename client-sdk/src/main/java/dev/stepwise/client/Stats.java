package dev.stepwise.client;

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
 */
public record Stats(long logged, long uploaded, long retried, long spooled, long replayed, long dropped,
                    long pending) {
}
