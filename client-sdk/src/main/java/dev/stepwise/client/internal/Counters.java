package dev.stepwise.client.internal;

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

    /**
     * Takes a snapshot.
     *
     * @return the current values
     */
    public Stats snapshot() {
        long settledNow = settled.sum();
        long loggedNow = logged.sum();
        return new Stats(loggedNow, uploaded.sum(), retried.sum(), spooled.sum(), replayed.sum(), dropped.sum(),
                Math.max(0, loggedNow - settledNow));
    }
}
