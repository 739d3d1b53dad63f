package dev.stepwise.client.internal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import dev.stepwise.client.Mode;
import dev.stepwise.client.RunSpec;
import dev.stepwise.client.StepwiseException;
import dev.stepwise.client.internal.RunEventQueue.Event;

/**
 * The run-facing half of the pipeline: starts runs (online, one creation attempt right away so
 * that a refusal is reported by {@code start()} and a resumed run continues after its last step),
 * keeps the registry of open runs (pruned by the worker when a run ends) and their heartbeats, and
 * puts every later change of a run — status, config, artifact, rich item — on the
 * {@link RunEventQueue}, where the worker sends it after the points logged before it. Once the
 * worker is gone (after close), events are spooled by the calling thread instead.
 *
 * <p>Not API: may change without notice. Thread-safe.
 */
public final class RunEvents {

    private final Settings s;
    private final RunEventQueue ops;
    private final Map<UUID, RunState> liveRuns = new ConcurrentHashMap<>();
    private final ServerHealth health;
    private volatile Exporter exporter;
    private volatile Uploader uploader;
    private volatile Heartbeater heartbeats;
    private volatile Thread worker;
    private final BooleanSupplier closing;
    private final Counters counters;
    private final Warnings warnings;

    /** Bytes of rich items that may wait in memory for the worker; more are dropped and counted. */
    public static final long MAX_QUEUED_MEDIA_BYTES = 64L << 20;

    RunEvents(Settings s, RunEventQueue ops, ServerHealth health, Counters counters, Warnings warnings,
            BooleanSupplier closing) {
        this.s = s;
        this.counters = counters;
        this.warnings = warnings;
        this.ops = ops;
        this.health = health;
        this.closing = closing;
    }

    /** Connects the parts created after this one (they need the open-run registry). */
    void wire(Exporter exporter, Uploader uploader, Heartbeater heartbeats, Thread worker) {
        this.exporter = exporter;
        this.uploader = uploader;
        this.heartbeats = heartbeats;
        this.worker = worker;
    }

    /** @return the open runs by id, shared with the worker and the spool replayer */
    Map<UUID, RunState> liveRuns() {
        return liveRuns;
    }

    /**
     * Starts (creates or resumes) a run. Online, the creation is tried once right away; if the
     * server cannot be reached it is queued, retried and, failing that, spooled.
     *
     * @param id the run id
     * @param spec the spec
     * @return the run state and the last step the server already has (-1 when none)
     * @throws StepwiseException online, when the server refuses the run for good (unknown project,
     *                           bad, revoked or read-only key): retrying would never succeed
     */
    public Started start(UUID id, RunSpec spec) {
        RunState run = new RunState(id, s.project(), spec);
        long lastStep = -1;
        if (s.mode() == Mode.DISABLED) {
            return new Started(run, lastStep);
        }
        liveRuns.put(id, run);
        if (s.mode() == Mode.ONLINE && !health.down()) {
            try {
                long deadline = System.nanoTime() + s.requestTimeout().toNanos();
                Retrier.Outcome o = exporter.send(new Event(Event.CREATE, run, null), 1, () -> deadline);
                if (o.kind() == Retrier.Kind.OK) {
                    run.created = true;
                    if (o.response().status() == 200) {
                        lastStep = exporter.lastStep(run);
                    }
                } else if (o.kind() == Retrier.Kind.REJECTED) {
                    liveRuns.remove(id);
                    throw new StepwiseException("Stepwise refused to start run " + id + " in project '"
                            + s.project() + "' at " + s.baseUrl() + ": " + o.reason(), o.response().status());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!run.created && !run.rejected) {
            run.createPending = true;
            enqueue(new Event(Event.CREATE, run, null));
        }
        Heartbeater hb = heartbeats;
        if (hb != null) {
            hb.add(run);
        }
        return new Started(run, lastStep);
    }

    /**
     * A started run.
     *
     * @param run the run state
     * @param lastStep the greatest step the server already has, or -1
     */
    public record Started(RunState run, long lastStep) {
    }

    /**
     * Queues a status change; a terminal one is sent after every point queued before it.
     *
     * @param run the run
     * @param status {@code FINISHED}, {@code FAILED}, {@code KILLED} or {@code RUNNING}
     */
    public void status(RunState run, String status) {
        if (s.mode() == Mode.DISABLED) {
            return;
        }
        Heartbeater hb = heartbeats;
        if (!"RUNNING".equals(status) && hb != null) {
            hb.remove(run.id);
        }
        enqueue(new Event(Event.STATUS, run, Map.of("status", status)));
    }

    /**
     * Queues config entries to merge into the run, after every point and event queued before them.
     *
     * @param run the run
     * @param config key to JSON-compatible value
     */
    public void config(RunState run, Map<String, Object> config) {
        if (s.mode() == Mode.DISABLED || config.isEmpty()) {
            return;
        }
        enqueue(new Event(Event.CONFIG, run, Map.of("config", config)));
    }

    /**
     * Queues an artifact reference.
     *
     * @param run the run
     * @param body {@code {name, uri, kind?, description?, ...}}
     */
    public void artifact(RunState run, Map<String, Object> body) {
        if (s.mode() == Mode.DISABLED) {
            return;
        }
        enqueue(new Event(Event.ARTIFACT, run, body));
    }

    /**
     * Queues a rich item, encoded later by the worker; never blocks or throws. Beyond
     * {@link #MAX_QUEUED_MEDIA_BYTES} waiting in memory the item is dropped and counted.
     *
     * @param run the run
     * @param weight bytes the encoder holds (its copied input), for the memory cap
     * @param encoder builds the item; called once, on the worker's thread
     */
    public void media(RunState run, long weight, java.util.function.Supplier<MediaItem> encoder) {
        counters.mediaLogged.increment();
        if (s.mode() == Mode.DISABLED) {
            return;
        }
        if (counters.mediaQueuedBytes.addAndGet(weight) > MAX_QUEUED_MEDIA_BYTES) {
            counters.mediaQueuedBytes.addAndGet(-weight);
            counters.dropMedia(1, "media queue full");
            warnings.warn("media-queue-full", "Stepwise dropped a rich item: more than "
                    + MAX_QUEUED_MEDIA_BYTES + " bytes of rich items wait for the upload worker");
            return;
        }
        enqueue(new Event(Event.MEDIA, run, null, encoder, weight));
    }

    /**
     * Counts a rich item the run's method refused (invalid input) and warns.
     *
     * @param reason a short category, such as {@code invalid image}
     * @param detail the full reason for the (rate-limited) warning
     */
    public void refuseMedia(String reason, String detail) {
        counters.mediaLogged.increment();
        counters.dropMedia(1, reason);
        warnings.warn("media-refused:" + reason, "Stepwise dropped a rich item: " + detail);
    }

    void enqueue(Event op) {
        Thread w = worker;
        if (closing.getAsBoolean() && (w == null || !w.isAlive())) {
            ops.counted();
            uploader.spoolOp(op);
            ops.settle();
            return;
        }
        ops.add(op);
        java.util.concurrent.locks.LockSupport.unpark(w);
    }
}
