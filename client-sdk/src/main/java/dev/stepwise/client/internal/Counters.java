package dev.stepwise.client.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.stepwise.client.Stats;

/**
 * The counters behind {@link Stats}. Not API: may change without notice. Thread-safe.
 */
public final class Counters {
    /** Points accepted by {@code log}. */
    public final LongAdder logged = new LongAdder();
    /** Points the server accepted from live batches. */
    public final LongAdder uploaded = new LongAdder();
    /** Retried requests. */
    public final LongAdder retried = new LongAdder();
    /** Points written to the spool. */
    public final LongAdder spooled = new LongAdder();
    /** Points uploaded from the spool. */
    public final LongAdder replayed = new LongAdder();
    /** Points lost. */
    public final LongAdder dropped = new LongAdder();
    /** Logged points that reached a final place: uploaded, spooled or dropped. */
    public final LongAdder settled = new LongAdder();
    /** Rich items (images, texts, histograms, ...) accepted by the run's methods. */
    public final LongAdder mediaLogged = new LongAdder();
    /** Rich items the server accepted from live uploads. */
    public final LongAdder mediaUploaded = new LongAdder();
    /** Rich items written to the spool, with their bytes. */
    public final LongAdder mediaSpooled = new LongAdder();
    /** Rich items uploaded from the spool. */
    public final LongAdder mediaReplayed = new LongAdder();
    /** Rich items lost. */
    public final LongAdder mediaDropped = new LongAdder();
    /** Bytes of rich items queued in memory, not yet encoded or sent (bounded). */
    public final java.util.concurrent.atomic.AtomicLong mediaQueuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> mediaDroppedBy = new ConcurrentHashMap<>();
    // Keyed by a reason category (a few fixed words and HTTP statuses), so it stays small.
    private final ConcurrentHashMap<String, LongAdder> droppedBy = new ConcurrentHashMap<>();

    /**
     * Counts points lost for good under a reason category.
     *
     * @param points how many
     * @param reason a short category without per-point data, such as {@code rejected (HTTP 404)}
     */
    public void drop(long points, String reason) {
        dropped.add(points);
        droppedBy.computeIfAbsent(reason, r -> new LongAdder()).add(points);
    }

    /**
     * Counts rich items lost for good under a reason category.
     *
     * @param items how many
     * @param reason a short category, such as {@code invalid image} or {@code spool full}
     */
    public void dropMedia(long items, String reason) {
        mediaDropped.add(items);
        mediaDroppedBy.computeIfAbsent(reason, r -> new LongAdder()).add(items);
    }

    /**
     * Takes a snapshot.
     *
     * @return the current values
     */
    public Stats snapshot() {
        long settledNow = settled.sum();
        long loggedNow = logged.sum();
        Map<String, Long> reasons = new TreeMap<>();
        droppedBy.forEach((reason, n) -> reasons.put(reason, n.sum()));
        Map<String, Long> mediaReasons = new TreeMap<>();
        mediaDroppedBy.forEach((reason, n) -> mediaReasons.put(reason, n.sum()));
        Stats.Media media = new Stats.Media(mediaLogged.sum(), mediaUploaded.sum(), mediaSpooled.sum(),
                mediaReplayed.sum(), mediaDropped.sum(), mediaReasons);
        return new Stats(loggedNow, uploaded.sum(), retried.sum(), spooled.sum(), replayed.sum(), dropped.sum(),
                Math.max(0, loggedNow - settledNow), Map.copyOf(reasons), media);
    }
}
