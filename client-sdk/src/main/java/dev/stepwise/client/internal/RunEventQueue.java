package dev.stepwise.client.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ordered queue of run events (create, status, config, artifact) between the callers and the
 * upload worker, with the two counters a flush needs: how many events were queued, and how many
 * the worker has settled (sent, refused or spooled). A flush that began after {@code n} events
 * were queued is past them once {@link #settled()} reaches {@code n}.
 *
 * <p>Not API: may change without notice. Thread-safe; many producers, one consumer.
 */
final class RunEventQueue {

    /** A run event. */
    static final class Event {
        static final int CREATE = 0;
        static final int STATUS = 1;
        static final int ARTIFACT = 2;
        static final int CONFIG = 3;
        static final int MEDIA = 4;

        final int kind;
        final RunState run;
        final Map<String, Object> body;
        /** A rich item's encoder, run once on the worker; its batch id; its weight in the memory cap. */
        final java.util.function.Supplier<MediaItem> encoder;
        final String batchId;
        final long weight;
        private MediaItem item;

        Event(int kind, RunState run, Map<String, Object> body) {
            this(kind, run, body, null, 0);
        }

        Event(int kind, RunState run, Map<String, Object> body, java.util.function.Supplier<MediaItem> encoder,
                long weight) {
            this.kind = kind;
            this.run = run;
            this.body = body;
            this.encoder = encoder;
            this.weight = weight;
            this.batchId = encoder == null ? null : java.util.UUID.randomUUID().toString();
        }

        /** The encoded rich item, encoding it on first use (the worker's thread, not the caller's). */
        MediaItem item() {
            if (item == null) {
                item = encoder.get();
            }
            return item;
        }

        /** Whether this is a final status (the run ends with it). */
        boolean ends() {
            return kind == STATUS && !"RUNNING".equals(body.get("status"));
        }

        String describe() {
            switch (kind) {
                case CREATE:
                    return "the creation of run " + run.id;
                case STATUS:
                    return "status " + body.get("status") + " of run " + run.id;
                case CONFIG:
                    return "config " + ((Map<?, ?>) body.get("config")).keySet() + " of run " + run.id;
                case MEDIA:
                    return "a rich item of run " + run.id;
                default:
                    return "artifact '" + body.get("name") + "' of run " + run.id;
            }
        }
    }

    private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();

    /** Counts an event that will be settled by the caller without queueing it. */
    void counted() {
        enqueued.incrementAndGet();
    }

    /** Queues an event. */
    void add(Event e) {
        enqueued.incrementAndGet();
        queue.add(e);
    }

    /** Takes the oldest event, or {@code null}. */
    Event poll() {
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Records that one event was sent, refused or spooled. */
    void settle() {
        settled.incrementAndGet();
    }

    /** @return events queued (or counted) so far */
    long enqueued() {
        return enqueued.get();
    }

    /** @return events settled so far */
    long settled() {
        return settled.get();
    }
}
