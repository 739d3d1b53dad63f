package dev.stepwise.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.stepwise.client.Mode;
import dev.stepwise.client.Stats;
import dev.stepwise.client.internal.RunEventQueue.Event;

/**
 * The upload pipeline of one client, in the manner of OpenTelemetry's BatchSpanProcessor, and the
 * place where its parts are wired: points go through {@link #offer} into the {@link Batcher};
 * runs are started and their events queued by {@link RunEvents} on the {@link RunEventQueue};
 * one daemon worker ({@code stepwise-uploader}, the loop in {@link UploadWorker}) hands batches of
 * one run and events in order to the {@link Uploader}, which sends them through the
 * {@link Exporter} (one request in flight, a fresh {@code batchId} reused by every retry and
 * replay) or, when retries are exhausted or {@link ServerHealth} says the server is down, writes
 * them to the {@link Spool}; the {@link SpoolReplayer} brings the spool back between live batches
 * once a probe succeeds, and a {@link Heartbeater} keeps open runs alive. This class itself owns
 * the client-wide waits: {@link #flush} until everything logged before it is stored or the
 * timeout passes, {@link #shutdown} the same within the close deadline before it spools the rest.
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
    private final RunEvents runs;

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
        this(settings, null);
    }

    /**
     * Creates the engine with a given exporter instead of the REST API's (tests use an in-memory
     * one), and starts its threads (none when disabled).
     *
     * @param settings the resolved configuration
     * @param exporterOverride the exporter, or {@code null} for the REST API's
     */
    public Engine(Settings settings, Exporter exporterOverride) {
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
                        evictedPoints -> counters.drop(evictedPoints, "evicted from the full spool"),
                        () -> counters.dropMedia(1, "evicted from the full spool"));
        exporter = exporterOverride != null && mode == Mode.ONLINE ? exporterOverride
                : api == null ? null : new HttpExporter(api, retrier);
        replayer = exporter == null ? null : new Replayer(exporter, spool, counters);
        health = new ServerHealth(settings.probeInterval(), warnings, String.valueOf(settings.spoolDir()));
        runs = new RunEvents(settings, ops, health, counters, warnings, () -> closing);
        Map<UUID, RunState> liveRuns = runs.liveRuns();
        spoolReplayer = spool == null ? null : new SpoolReplayer(spool, replayer, health, warnings, liveRuns,
                this::liveWorkWaiting, this::deadline);
        uploader = spool == null ? null
                : new Uploader(settings, counters, warnings, exporter, health, spool, spoolReplayer, this::deadline);
        if (mode == Mode.DISABLED) {
            worker = null;
            batcher = null;
            loop = null;
            heartbeats = null;
            runs.wire(exporter, uploader, null, null);
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
        if (mode == Mode.ONLINE && api != null && !settings.heartbeatInterval().isZero()) {
            heartbeats = new Heartbeater(api, settings.heartbeatInterval(), () -> health.down() || closing);
        } else {
            heartbeats = null;
        }
        runs.wire(exporter, uploader, heartbeats, worker);
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

    /** @return the run-facing half: starting runs and queueing their events */
    public RunEvents runs() {
        return runs;
    }

    /** @return a snapshot of the counters */
    public Stats stats() {
        return counters.snapshot();
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

    /** Whether anything logged, a point or a rich item, was lost. */
    private boolean dropped() {
        return counters.dropped.sum() > 0 || counters.mediaDropped.sum() > 0;
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
            return counters.snapshot().pending() == 0 && !dropped();
        }
        loop.flushBegin();
        try {
            LockSupport.unpark(worker);
            while (true) {
                if (settledSince(loggedTarget, opsTarget)) {
                    if (dropped()) {
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
