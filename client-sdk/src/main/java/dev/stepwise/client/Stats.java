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
 * @param media the same counts for rich items (images, audio, video, texts, histograms, point clouds,
 *              graphs, confusion matrices, tables), in items
 */
public record Stats(long logged, long uploaded, long retried, long spooled, long replayed, long dropped,
                    long pending, Map<String, Long> droppedReasons, Media media) {

    /** Copies the reasons; an absent map is empty, absent media counts are zero. */
    public Stats {
        droppedReasons = droppedReasons == null ? Map.of() : Map.copyOf(droppedReasons);
        media = media == null ? new Media(0, 0, 0, 0, 0, Map.of()) : media;
    }

    /**
     * Counts of rich items, in items.
     *
     * @param logged items accepted by the run's rich-data methods
     * @param uploaded items the server accepted from live uploads
     * @param spooled items written to the spool with their bytes
     * @param replayed items uploaded from the spool
     * @param dropped items lost: invalid, not encodable, refused by the server, beyond the memory
     *                or spool caps
     * @param droppedReasons the dropped items by reason
     */
    public record Media(long logged, long uploaded, long spooled, long replayed, long dropped,
                        Map<String, Long> droppedReasons) {
        /** Copies the reasons. */
        public Media {
            droppedReasons = droppedReasons == null ? Map.of() : Map.copyOf(droppedReasons);
        }
    }

    /**
     * A snapshot without media counts.
     *
     * @param logged points accepted by {@code log}
     * @param uploaded points accepted from live batches
     * @param retried retried requests
     * @param spooled points written to the spool
     * @param replayed points uploaded from the spool
     * @param dropped points lost
     * @param pending points not yet settled
     * @param droppedReasons dropped points by reason
     */
    public Stats(long logged, long uploaded, long retried, long spooled, long replayed, long dropped, long pending,
                 Map<String, Long> droppedReasons) {
        this(logged, uploaded, retried, spooled, replayed, dropped, pending, droppedReasons, null);
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
        this(logged, uploaded, retried, spooled, replayed, dropped, pending, Map.of(), null);
    }
}
