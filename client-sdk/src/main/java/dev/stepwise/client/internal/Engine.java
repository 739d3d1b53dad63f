package dev.stepwise.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.stepwise.client.Mode;
import dev.stepwise.client.RunSpec;
import dev.stepwise.client.Stats;
import dev.stepwise.client.StepwiseException;
import dev.stepwise.client.internal.RunEventQueue.Event;

/**
 * The upload pipeline of one client, in the manner of OpenTelemetry's BatchSpanProcessor: one
 * daemon worker ({@code stepwise-uploader}) takes points from the {@link Batcher} in per-run
 * batches of at most {@code batchSize}, at least every {@code flushInterval}, and run events from
 * the {@link RunEventQueue} in order (a run is created before its points and finished after them),
 * and hands them to the {@link Uploader}: gzip-compressed through the {@link Exporter}, one
 * request in flight, each batch under a fresh {@code batchId} that every retry and replay reuses;
 * what exhausts the retry budget, or arrives while {@link ServerHealth} says the server is down,
 * goes to the {@link Spool}. The {@link SpoolReplayer} brings it back in slices between live
 * batches once a probe succeeds. The worker's loop is {@link UploadWorker}. {@link #flush} waits
 * until everything logged before it is stored or the timeout passes; {@link #shutdown} does the
 * same within the close deadline, then spools the rest.
 * A {@link Heartbeater} keeps open runs alive.
 *
 * <p>Not API: may change without notice. Thread-safe.
 */
public final class Engine {

    private static final long NO_DEADLINE = Long.MAX_VALUE / 4;

    private final Settings s;
    private final Counters counters = new Counters();
    private final Warnings warnings = new Warnings(TimeUnit.SECONDS.toNanos(60));
    private final HttpApi api;
    private final Retrier retrier;
    private final Spool spool;
    private final Replayer replayer;
    private final Exporter exporter;

    private final RunEventQueue ops = new RunEventQueue();
    private final int spoolChunk;
    private final Batcher batcher;

    private final Map<UUID, RunState> liveRuns = new ConcurrentHashMap<>();

    private final Thread worker;
    private final Heartbeater heartbeats;

    private final UploadWorker loop;

    private final AtomicBoolean shutdown = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean abandoned;
    private volatile long closeDeadlineNanos = NO_DEADLINE;

    private final ServerHealth health;
    private final SpoolReplayer spoolReplayer;
    private final Uploader uploader;

    /**
     * Creates the engine and starts its threads (none when disabled).
     *
     * @param settings the resolved configuration
     */
    public Engine(Settings settings) {
        this.s = settings;
        this.spoolChunk = Math.min(50_000, Math.max(settings.batchSize(), 10_000));
        Mode mode = settings.mode();
        if (mode == Mode.ONLINE) {
            api = new HttpApi(settings.baseUrl(), settings.apiKey(), settings.connectTimeout(),
                    settings.requestTimeout());
            retrier = new Retrier(settings.retryPolicy(), settings.sleeper(), settings.clock(),
                    settings.requestTimeout(), counters);
        } else {
            api = null;
            retrier = null;
        }
        spool = mode == Mode.DISABLED ? null
                : new Spool(settings.spoolDir(), settings.spoolMaxBytes(), Spool.DEFAULT_MAX_FILES, settings.clock(),
                        settings.project(), settings.baseUrl(),
                        evictedPoints -> counters.drop(evictedPoints, "evicted from the full spool"));
        replayer = api == null ? null : new Replayer(api, retrier, spool, counters);
        exporter = api == null ? null : new HttpExporter(api, retrier);
        health = new ServerHealth(settings.probeInterval(), warnings, String.valueOf(settings.spoolDir()));
        spoolReplayer = spool == null ? null : new SpoolReplayer(spool, replayer, health, warnings, liveRuns,
                this::liveWorkWaiting, this::deadline);
        uploader = spool == null ? null
                : new Uploader(settings, counters, warnings, exporter, health, spool, spoolReplayer, this::deadline);
        if (mode == Mode.DISABLED) {
            worker = null;
            batcher = null;
            loop = null;
            heartbeats = null;
            return;
        }
        batcher = new Batcher(settings.queueCapacity(), settings.batchSize(), spoolChunk,
                chunk -> uploader.spoolPoints(chunk, null),
                () -> warnings.warn("queue-full", "Stepwise upload queue is full (" + settings.queueCapacity()
                        + " points); writing points to the spool directory " + settings.spoolDir()));
        loop = new UploadWorker(settings, batcher, ops, uploader, spoolReplayer, health, liveRuns, spoolChunk,
                () -> abandoned, () -> closing);
        worker = new Thread(loop, "stepwise-uploader");
        worker.setDaemon(true);
        batcher.worker(worker);
        worker.start();
        if (mode == Mode.ONLINE && !settings.heartbeatInterval().isZero()) {
            heartbeats = new Heartbeater(api, settings.heartbeatInterval(), () -> health.down() || closing);
        } else {
            heartbeats = null;
        }
    }

    /** @return the resolved configuration */
    public Settings settings() {
        return s;
    }

    /** @return the counters */
    public Counters counters() {
        return counters;
    }

    /** @return the spool, or {@code null} when disabled */
    public Spool spool() {
        return spool;
    }

    /** @return a snapshot of the counters */
    public Stats stats() {
        return counters.snapshot();
    }

    // ------------------------------------------------------------------ run events

    /**
     * Starts (creates or resumes) a run. Online, the creation is tried once right away so that a
     * resumed run continues after its last step; if the server cannot be reached it is queued,
     * retried and, failing that, spooled.
     *
     * @param id the run id
     * @param spec the spec
     * @return the run state and the last step the server already has (-1 when none)
     * @throws StepwiseException online, when the server refuses the run for good (unknown project,
     *                           bad, revoked or read-only key): retrying would never succeed
     */
    public Started startRun(UUID id, RunSpec spec) {
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
        if (heartbeats != null) {
            heartbeats.add(run);
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
        if (!"RUNNING".equals(status) && heartbeats != null) {
            heartbeats.remove(run.id);
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

    private void enqueue(Event op) {
        if (closing && (worker == null || !worker.isAlive())) {
            ops.counted();
            uploader.spoolOp(op);
            ops.settle();
            return;
        }
        ops.add(op);
        LockSupport.unpark(worker);
    }

    // ------------------------------------------------------------------ hot path

    /**
     * Offers a point; never blocks on the network and never throws. When the queue is full the
     * point goes to the spool (in chunks written by the calling thread).
     *
     * @param p the point
     */
    public void offer(Point p) {
        counters.logged.increment();
        if (spool == null) {
            counters.settled.increment();
            return;
        }
        batcher.offer(p);
    }

    /**
     * Counts a point that {@code log} refused (invalid key or step, closed run) and warns.
     *
     * @param reason a short category without per-point data, counted in {@link Stats#droppedReasons()}
     * @param detail the full reason for the (rate-limited) warning
     */
    public void refuse(String reason, String detail) {
        counters.logged.increment();
        counters.drop(1, reason);
        counters.settled.increment();
        warnings.warn("refused:" + reason, "Stepwise dropped a logged point: " + detail);
    }

    // ------------------------------------------------------------------ worker

    /** Whether a live batch or run event waits, so that a replay slice ends early. */
    private boolean liveWorkWaiting() {
        return loop.liveWorkWaiting();
    }

    private long deadline() {
        return closeDeadlineNanos;
    }

    /**
     * Whether everything logged and queued before a flush began is stored: online on the server
     * (nothing left in memory, in flight or in this client's spool), offline in the spool.
     */
    private boolean settledSince(long loggedTarget, long opsTarget) {
        Stats now = counters.snapshot();
        long settled = now.logged() - now.pending();
        return settled >= loggedTarget && ops.settled() >= opsTarget && batcher.overflowIdle();
    }

    // ------------------------------------------------------------------ flush and close

    /**
     * Uploads everything queued, retries and replays this client's spool until everything logged
     * before the call is stored or {@code timeout} passes; the worker keeps probing a server that
     * is down meanwhile.
     *
     * @param timeout the longest wait
     * @return online: whether everything logged so far is on the server and nothing was dropped;
     *         offline: whether it is all in the spool and nothing was dropped; disabled: true
     */
    public boolean flush(Duration timeout) {
        return flushUntil(System.nanoTime() + timeout.toNanos());
    }

    private boolean flushUntil(long endNanos) {
        if (s.mode() == Mode.DISABLED) {
            return true;
        }
        long loggedTarget = counters.logged.sum();
        long opsTarget = ops.enqueued();
        if (worker == null || !worker.isAlive()) {
            return counters.snapshot().pending() == 0 && counters.dropped.sum() == 0;
        }
        loop.flushBegin();
        try {
            LockSupport.unpark(worker);
            while (true) {
                if (settledSince(loggedTarget, opsTarget)) {
                    if (counters.dropped.sum() > 0) {
                        return false;
                    }
                    if (s.mode() != Mode.ONLINE || spoolReplayer.ownEmpty()) {
                        return true;
                    }
                }
                long left = endNanos - System.nanoTime();
                if (left <= 0 || !worker.isAlive()) {
                    return false;
                }
                // The worker signals after every round; the bound only covers a round still under way.
                loop.awaitRound(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            loop.flushEnd();
        }
    }

    /**
     * Stops the engine: keeps uploading, retrying and replaying (as {@link #flush}) until
     * everything is stored or the deadline passes, then spools the rest and stops the threads.
     * Idempotent.
     *
     * @param timeout the deadline from now
     */
    public void shutdown(Duration timeout) {
        if (!shutdown.compareAndSet(false, true)) {
            return;
        }
        if (heartbeats != null) {
            heartbeats.stop();
        }
        if (worker == null) {
            return;
        }
        long end = System.nanoTime() + timeout.toNanos();
        closeDeadlineNanos = end;
        if (s.mode() == Mode.ONLINE) {
            flushUntil(end);
        }
        closing = true;
        LockSupport.unpark(worker);
        try {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 1000));
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            batcher.stopSpooler(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Whatever the worker could not handle goes to disk without touching the network.
        health.stop();
        Event op;
        while ((op = ops.poll()) != null) {
            uploader.spoolOp(op);
            ops.settle();
        }
        for (List<Point> rest : batcher.take(Integer.MAX_VALUE).values()) {
            uploader.spoolPoints(rest, null);
        }
        batcher.spoolOverflow();
        spool.close();
    }

    /**
     * Simulates a crash for tests: stops heartbeats and uploads at once without sending a status,
     * flushing or spooling, as if the process had been killed. Not API.
     */
    public void abandon() {
        abandoned = true;
        shutdown.set(true);
        if (heartbeats != null) {
            heartbeats.stop();
        }
        if (worker != null) {
            worker.interrupt();
            batcher.abandon();
        }
        if (spool != null) {
            // A killed process leaves its lock files behind, unlocked.
            spool.releaseLocks();
        }
    }
}
