package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Uploads spooled entries, reusing each batch's id so the server stores every point once, and
 * removes an entry from the queue only after the server took it or refused it for good.
 * Used by the background replay of a running client and by {@code stepwise-cli sync}.
 * Not API: may change without notice. Thread-safe.
 */
public final class Replayer {

    /** What happened to one entry. */
    public enum Result {
        /** The server took it (or already had it); the file was deleted. */
        ACCEPTED,
        /** The server refused it with a non-retryable answer; the file moved to {@code rejected/}. */
        REJECTED,
        /** A retryable failure: the file stays for a later attempt. */
        RETRY_LATER,
        /** 401 or 403: the credentials are wrong, so the file stays and replay should stop. */
        AUTH_FAILED
    }

    /**
     * The report on one entry.
     *
     * @param result what happened
     * @param kind the entry kind, or {@code null} when unreadable
     * @param points points in the entry (0 for run events)
     * @param reason why it was not accepted, else {@code null}
     * @param entry the entry read, or {@code null} when unreadable
     */
    public record Report(Result result, String kind, int points, String reason, Spool.Entry entry) {
    }

    private final Exporter exporter;
    private final Spool spool;
    private final Counters counters;

    /**
     * Creates a replayer.
     *
     * @param api the server API
     * @param retrier the retry loop
     * @param spool the spool whose files are replayed
     * @param counters where replayed and dropped points are counted
     */
    public Replayer(HttpApi api, Retrier retrier, Spool spool, Counters counters) {
        this(new HttpExporter(api, retrier), spool, counters);
    }

    /**
     * Creates a replayer that sends through an exporter.
     *
     * @param exporter delivers each entry
     * @param spool the spool whose files are replayed
     * @param counters where replayed and dropped points are counted
     */
    Replayer(Exporter exporter, Spool spool, Counters counters) {
        this.exporter = exporter;
        this.spool = spool;
        this.counters = counters;
    }

    /**
     * Replays one spooled entry.
     *
     * @param file the file
     * @param maxAttempts attempts for this entry
     * @param deadlineNanos {@link System#nanoTime()} deadline
     * @return the report
     * @throws InterruptedException when interrupted
     */
    public Report replay(Path file, int maxAttempts, long deadlineNanos) throws InterruptedException {
        return replay(file, maxAttempts, () -> deadlineNanos);
    }

    /**
     * Replays one spooled entry under a deadline that may move.
     *
     * @param file the file
     * @param maxAttempts attempts for this entry
     * @param deadlineNanos reads the {@link System#nanoTime()} deadline
     * @return the report
     * @throws InterruptedException when interrupted
     */
    public Report replay(Path file, int maxAttempts, java.util.function.LongSupplier deadlineNanos)
            throws InterruptedException {
        return replay(file, maxAttempts, deadlineNanos, true);
    }

    /**
     * Replays one spooled entry under a deadline that may move.
     *
     * @param file the file
     * @param maxAttempts attempts for this entry
     * @param deadlineNanos reads the {@link System#nanoTime()} deadline
     * @param count whether its points go into the replayed and dropped counters (false for entries
     *        adopted from another process, which this client never logged)
     * @return the report
     * @throws InterruptedException when interrupted
     */
    public Report replay(Path file, int maxAttempts, java.util.function.LongSupplier deadlineNanos, boolean count)
            throws InterruptedException {
        Spool.Entry e;
        try {
            e = Spool.read(file);
        } catch (NoSuchFileException gone) {
            return new Report(Result.ACCEPTED, null, 0, null, null);
        } catch (IOException unreadable) {
            moveToRejected(file);
            return new Report(Result.REJECTED, null, 0, unreadable.getMessage(), null);
        }
        if (!Spool.KNOWN_KINDS.contains(e.kind())) {
            moveToRejected(file);
            return new Report(Result.REJECTED, e.kind(), 0, "unknown entry kind '" + e.kind() + "'", e);
        }
        int points = e.points().size();
        Retrier.Outcome o = exporter.replay(e, maxAttempts, deadlineNanos);
        switch (o.kind()) {
            case OK:
                if (count) {
                    counters.replayed.add(points);
                    if (Spool.KIND_MEDIA.equals(e.kind())) {
                        counters.mediaReplayed.increment();
                    }
                }
                try {
                    spool.delete(file);
                } catch (IOException ex) {
                    // The server has it; a second replay of a metrics batch is a harmless duplicate.
                    return new Report(Result.ACCEPTED, e.kind(), points, "could not delete: " + ex, e);
                }
                return new Report(Result.ACCEPTED, e.kind(), points, null, e);
            case REJECTED:
                int status = o.response().status();
                if (status == 401 || status == 403) {
                    return new Report(Result.AUTH_FAILED, e.kind(), points, o.reason(), e);
                }
                moveToRejected(file);
                if (count) {
                    counters.drop(points, "rejected by the server (HTTP " + status + ")");
                    if (Spool.KIND_MEDIA.equals(e.kind())) {
                        counters.dropMedia(1, "rejected by the server (HTTP " + status + ")");
                    }
                }
                return new Report(Result.REJECTED, e.kind(), points, o.reason(), e);
            default:
                return new Report(Result.RETRY_LATER, e.kind(), points, o.reason(), e);
        }
    }

    private void moveToRejected(Path file) {
        try {
            spool.reject(file);
        } catch (IOException ignored) {
            // it will be tried again, and refused again
        }
    }
}
