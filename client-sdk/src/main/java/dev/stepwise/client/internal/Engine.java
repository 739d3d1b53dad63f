package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.stepwise.client.Mode;
import dev.stepwise.client.RunSpec;
import dev.stepwise.client.Stats;
import dev.stepwise.client.StepwiseException;

/**
 * The upload pipeline of one client, in the manner of OpenTelemetry's BatchSpanProcessor.
 *
 * <p>Callers only offer points to a bounded lock-free queue; one daemon worker turns them into
 * per-run batches of at most {@code batchSize} points, at least every {@code flushInterval}, and
 * uploads them gzip-compressed, one request in flight, each batch under a fresh {@code batchId}
 * that every retry and replay reuses. Run events (create, status, artifact) travel through an
 * ordered op queue handled by the same worker, so a run is created before its points are sent and
 * finished after them. Batches that exhaust the retry budget, arrive while the server is known to
 * be down, or overflow the queue go to the {@link Spool}. While the server is down the worker probes
 * it with capped exponential backoff; once it answers, the worker replays the spool oldest-first in
 * time slices between live batches, so a backlog is caught up at full upload speed while the run
 * goes on. The worker parks until a batch fills, the interval passes, a probe is due or a flush or
 * close signals it. {@link #flush} waits until everything logged before it is stored (or the
 * timeout passes). A second daemon thread sends heartbeats.
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

    private final ConcurrentLinkedQueue<Point> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final Object overflowLock = new Object();
    private ArrayList<Point> overflow = new ArrayList<>();
    private final int spoolChunk;
    // Full overflow chunks wait here for the spooler thread, so callers rarely touch the disk.
    private final ArrayBlockingQueue<List<Point>> overflowChunks = new ArrayBlockingQueue<>(32);
    private final AtomicInteger spoolerBusy = new AtomicInteger();
    private final Thread spooler;
    private final int highWatermark;
    private final int wakeAt;
    // Set while the worker is parked, so that log() pays for an unpark only when it is needed.
    private volatile boolean workerParked;

    private final Map<UUID, RunState> liveRuns = new ConcurrentHashMap<>();
    private final Map<UUID, RunState> heartbeatRuns = new ConcurrentHashMap<>();

    private final Thread worker;
    private final ScheduledExecutorService heartbeats;

    private final Object flushLock = new Object();
    private final AtomicInteger flushWaiters = new AtomicInteger();
    private final AtomicLong opsEnqueued = new AtomicLong();
    private final AtomicLong opsSettled = new AtomicLong();

    private final AtomicBoolean shutdown = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean abandoned;
    private volatile boolean stopSpooler;
    private volatile long closeDeadlineNanos = NO_DEADLINE;

    // Touched by the worker only (and by the closing thread once the worker is gone).
    private volatile boolean serverDown;
    private long nextProbeNanos;
    private long probeDelayNanos;
    /*
     * Own spool bookkeeping without a race: every write bumps spoolWrites after its file is in
     * place; the worker reads the counter before listing and, when the listing is empty, records
     * that value. The own spool is empty exactly when nothing was written since that listing.
     */
    private final AtomicLong spoolWrites = new AtomicLong(1);
    private volatile long spoolCleanAt;
    private final ArrayDeque<Path> backlog = new ArrayDeque<>();
    private static final long REPLAY_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private final java.util.ArrayDeque<Path> orphans = new java.util.ArrayDeque<>();
    private final java.util.Set<Path> orphansSkipped = new java.util.HashSet<>();
    private long nextOrphanScanNanos = System.nanoTime();
    private static final long ORPHAN_SCAN_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int ORPHANS_PER_ROUND = 4;

    /**
     * Creates the engine and starts its threads (none when disabled).
     *
     * @param settings the resolved configuration
     */
    public Engine(Settings settings) {
        this.s = settings;
        this.spoolChunk = Math.min(50_000, Math.max(settings.batchSize(), 10_000));
        this.highWatermark = Math.max(1, settings.queueCapacity() / 2);
        this.wakeAt = Math.min(settings.batchSize(), highWatermark);
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
                : new Spool(settings.spoolDir(), settings.spoolMaxBytes(), settings.clock(),
                        settings.project(), settings.baseUrl());
        replayer = api == null ? null : new Replayer(api, retrier, spool, counters);
        if (mode == Mode.DISABLED) {
            worker = null;
            spooler = null;
            heartbeats = null;
            return;
        }
        worker = new Thread(this::workLoop, "stepwise-uploader");
        worker.setDaemon(true);
        worker.start();
        spooler = new Thread(this::spoolLoop, "stepwise-spooler");
        spooler.setDaemon(true);
        spooler.start();
        if (mode == Mode.ONLINE && !settings.heartbeatInterval().isZero()) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stepwise-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, settings.heartbeatInterval().toMillis());
            heartbeats.scheduleAtFixedRate(this::sendHeartbeats, every, every, TimeUnit.MILLISECONDS);
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
        if (s.mode() == Mode.ONLINE && !serverDown) {
            try {
                Retrier.Outcome o = retrier.execute(
                        t -> api.createRun(s.project(), Spool.createBody(id, spec)), 1,
                        System.nanoTime() + s.requestTimeout().toNanos());
                if (o.kind() == Retrier.Kind.OK) {
                    run.created = true;
                    if (o.response().status() == 200) {
                        lastStep = lastStepOnServer(run);
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
            enqueue(new Op(Op.CREATE, run, null));
        }
        heartbeatRuns.put(id, run);
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

    private long lastStepOnServer(RunState run) {
        try {
            HttpApi.Response r = api.getMetrics(run.project, run.id);
            if (!r.ok()) {
                return -1;
            }
            Object metrics = Json.readObject(r.body()).get("metrics");
            long max = -1;
            if (metrics instanceof List) {
                for (Object m : (List<?>) metrics) {
                    if (m instanceof Map && ((Map<?, ?>) m).get("lastStep") instanceof Number) {
                        max = Math.max(max, ((Number) ((Map<?, ?>) m).get("lastStep")).longValue());
                    }
                }
            }
            return max;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
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
        if (!"RUNNING".equals(status)) {
            heartbeatRuns.remove(run.id);
        }
        enqueue(new Op(Op.STATUS, run, Map.of("status", status)));
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
        enqueue(new Op(Op.CONFIG, run, Map.of("config", config)));
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
        enqueue(new Op(Op.ARTIFACT, run, body));
    }

    private void enqueue(Op op) {
        opsEnqueued.incrementAndGet();
        if (closing && (worker == null || !worker.isAlive())) {
            spoolOp(op);
            opsSettled.incrementAndGet();
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
        int n = queued.incrementAndGet();
        if (n > s.queueCapacity()) {
            queued.decrementAndGet();
            overflow(p);
            return;
        }
        queue.offer(p);
        // A full batch wakes the worker, and only when it is parked: the unpark is a system call,
        // paid once per batch at most.
        if ((n == wakeAt || n == highWatermark) && workerParked) {
            LockSupport.unpark(worker);
        }
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

    private void overflow(Point p) {
        ArrayList<Point> full = null;
        synchronized (overflowLock) {
            overflow.add(p);
            if (overflow.size() >= spoolChunk) {
                full = overflow;
                overflow = new ArrayList<>(spoolChunk);
            }
        }
        if (full != null) {
            warnings.warn("queue-full", "Stepwise upload queue is full (" + s.queueCapacity()
                    + " points); writing points to the spool directory " + s.spoolDir());
            spoolerBusy.incrementAndGet();
            if (!overflowChunks.offer(full)) {
                // The spooler is behind too: this caller writes the chunk itself rather than grow memory.
                try {
                    spoolPoints(full, null);
                } finally {
                    spoolerBusy.decrementAndGet();
                }
            }
        }
    }

    private void spoolOverflow() {
        List<Point> chunk;
        while ((chunk = overflowChunks.poll()) != null) {
            try {
                spoolPoints(chunk, null);
            } finally {
                spoolerBusy.decrementAndGet();
            }
        }
        ArrayList<Point> taken;
        synchronized (overflowLock) {
            if (overflow.isEmpty()) {
                return;
            }
            taken = overflow;
            overflow = new ArrayList<>(spoolChunk);
        }
        spoolPoints(taken, null);
    }

    private void spoolLoop() {
        while (!abandoned) {
            List<Point> chunk;
            try {
                chunk = overflowChunks.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (chunk == null) {
                if (stopSpooler) {
                    return;
                }
                continue;
            }
            try {
                spoolPoints(chunk, null);
            } catch (RuntimeException e) {
                Warnings.LOG.log(System.Logger.Level.ERROR, "Stepwise spooler failed", e);
            } finally {
                spoolerBusy.decrementAndGet();
            }
        }
    }

    // ------------------------------------------------------------------ worker

    private void workLoop() {
        long lastSend = System.nanoTime();
        long intervalNanos = Math.max(1, s.flushInterval().toNanos());
        try {
            while (!abandoned) {
                boolean flushing = flushWaiters.get() > 0;
                boolean closingNow = closing;
                long now = System.nanoTime();
                long wait = waitNanos(now, lastSend, intervalNanos, flushing, closingNow);
                if (wait > 0) {
                    workerParked = true;
                    // Re-check after publishing the flag: a log() that filled a batch meanwhile saw it unset.
                    if (queued.get() < wakeAt && ops.isEmpty() && flushWaiters.get() == 0 && !closing) {
                        LockSupport.parkNanos(this, wait);
                    }
                    workerParked = false;
                    continue;
                }
                processOps();
                if (abandoned) {
                    return;
                }
                if (queued.get() > 0 || now - lastSend >= intervalNanos || flushing || closingNow) {
                    drainQueue();
                    spoolOverflow();
                    lastSend = System.nanoTime();
                }
                if (closingNow) {
                    processOps();
                    drainQueue();
                    spoolOverflow();
                    return;
                }
                if (s.mode() == Mode.ONLINE) {
                    replaySpool();
                }
                if (flushing) {
                    synchronized (flushLock) {
                        flushLock.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting; leftovers are spooled by the closing thread
        } catch (RuntimeException | Error e) {
            Warnings.LOG.log(System.Logger.Level.ERROR, "Stepwise upload worker failed; spooling what is left", e);
        }
    }

    /** How long the worker may park before its next round; 0 when there is work now. */
    private long waitNanos(long now, long lastSend, long intervalNanos, boolean flushing, boolean closingNow) {
        if (closingNow || !ops.isEmpty() || queued.get() >= s.batchSize()) {
            return 0;
        }
        boolean local = queued.get() > 0 || spoolerBusy.get() > 0 || !overflowEmpty();
        if (flushing && local) {
            return 0;
        }
        long wait = local ? intervalNanos - (now - lastSend) : intervalNanos;
        boolean online = s.mode() == Mode.ONLINE;
        if (online && (!ownSpoolEmpty() || !orphans.isEmpty() || flushing)) {
            if (!serverDown) {
                return !ownSpoolEmpty() || !orphans.isEmpty() ? 0 : Math.max(0, wait);
            }
            wait = Math.min(wait, nextProbeNanos - now);
        }
        return Math.max(0, wait);
    }

    private boolean overflowEmpty() {
        synchronized (overflowLock) {
            return overflow.isEmpty();
        }
    }

    private boolean ownSpoolEmpty() {
        return spoolCleanAt == spoolWrites.get();
    }

    private void processOps() throws InterruptedException {
        Op op;
        while ((op = ops.poll()) != null) {
            if (op.kind != Op.CREATE) {
                // Points logged before a finish or a config change go first.
                drainQueue();
            }
            try {
                execute(op);
            } finally {
                opsSettled.incrementAndGet();
                if (op.kind == Op.STATUS && !"RUNNING".equals(op.body.get("status"))) {
                    liveRuns.remove(op.run.id);
                }
            }
        }
    }

    private void execute(Op op) throws InterruptedException {
        RunState run = op.run;
        if (op.kind == Op.CREATE) {
            run.createPending = false;
        }
        if (s.mode() == Mode.OFFLINE || (op.kind != Op.CREATE && !run.created && !run.rejected)) {
            spoolOp(op);
            return;
        }
        if (run.rejected) {
            return;
        }
        if (op.kind != Op.CREATE && !ownSpoolEmpty()) {
            // Spooled entries of this client are replayed in order: an event after them waits its turn.
            spoolOp(op);
            return;
        }
        boolean probe = serverDown;
        if (probe && System.nanoTime() < nextProbeNanos) {
            spoolOp(op);
            return;
        }
        Retrier.Call call;
        switch (op.kind) {
            case Op.CREATE:
                call = t -> api.createRun(run.project, Spool.createBody(run.id, run.spec));
                break;
            case Op.STATUS:
            case Op.CONFIG:
                call = t -> api.patchRun(run.project, run.id, op.body);
                break;
            default:
                call = t -> api.postArtifact(run.project, run.id, op.body);
                break;
        }
        Retrier.Outcome o;
        try {
            o = retrier.execute(call, probe ? 1 : s.retryPolicy().maxAttempts(), this::deadline);
        } catch (InterruptedException e) {
            spoolOp(op);
            throw e;
        }
        switch (o.kind()) {
            case OK:
                markUp();
                if (op.kind == Op.CREATE) {
                    run.created = true;
                }
                break;
            case REJECTED:
                if (op.kind == Op.CREATE) {
                    run.rejected = true;
                }
                warnings.warn("op-rejected:" + op.kind + ":" + o.response().status(),
                        "Stepwise refused " + op.describe() + ": " + o.reason());
                break;
            default:
                markDown(o.reason());
                spoolOp(op);
                break;
        }
    }

    private void drainQueue() throws InterruptedException {
        int toDrain = queued.get();
        while (toDrain > 0) {
            // Batches bound for the spool anyway are cut larger: fewer files, fewer fsyncs.
            boolean toSpool = s.mode() == Mode.OFFLINE || (serverDown && System.nanoTime() < nextProbeNanos);
            int n = Math.min(toDrain, toSpool ? spoolChunk : s.batchSize());
            Map<RunState, List<Point>> byRun = new LinkedHashMap<>();
            int got = 0;
            Point p;
            while (got < n && (p = queue.poll()) != null) {
                byRun.computeIfAbsent(p.run, r -> new ArrayList<>()).add(p);
                got++;
            }
            if (got == 0) {
                return;
            }
            queued.addAndGet(-got);
            toDrain -= got;
            for (Map.Entry<RunState, List<Point>> e : byRun.entrySet()) {
                sendOrSpool(e.getKey(), e.getValue());
            }
        }
    }

    private void sendOrSpool(RunState run, List<Point> points) throws InterruptedException {
        if (run.createPending) {
            processOps();
        }
        if (s.mode() == Mode.OFFLINE || !run.created) {
            if (run.rejected) {
                drop(points, "run refused by the server", "run " + run.id + " was refused by the server");
            } else {
                spoolPoints(points, null);
            }
            return;
        }
        boolean probe = serverDown;
        if (probe && System.nanoTime() < nextProbeNanos) {
            spoolPoints(points, null);
            return;
        }
        String batchId = UUID.randomUUID().toString();
        byte[] body = MetricsCodec.encodeGzip(batchId, points);
        Retrier.Outcome o;
        try {
            o = retrier.execute(t -> api.postMetrics(run.project, run.id, body, t),
                    probe ? 1 : s.retryPolicy().maxAttempts(), this::deadline);
        } catch (InterruptedException e) {
            // The server may have stored it; the spooled copy keeps the batch id, so replay is exact.
            spoolPoints(points, batchId);
            throw e;
        }
        switch (o.kind()) {
            case OK:
                markUp();
                counters.uploaded.add(points.size());
                counters.settled.add(points.size());
                break;
            case REJECTED:
                drop(points, "rejected by the server (HTTP " + o.response().status() + ")",
                        "the server refused a batch of " + points.size() + " points for run " + run.id + ": "
                                + o.reason());
                break;
            default:
                markDown(o.reason());
                spoolPoints(points, batchId);
                break;
        }
    }

    private void drop(List<Point> points, String reason, String detail) {
        counters.drop(points.size(), reason);
        counters.settled.add(points.size());
        warnings.warn("dropped:" + reason, "Stepwise dropped " + points.size() + " points: " + detail);
    }

    private long deadline() {
        return closeDeadlineNanos;
    }

    private void markUp() {
        serverDown = false;
    }

    /** Marks the server down and schedules the next probe, backing off up to the probe interval. */
    private void markDown(String reason) {
        // A floor keeps a zero probe interval from spinning on a refused connection.
        long cap = Math.max(TimeUnit.MILLISECONDS.toNanos(10), s.probeInterval().toNanos());
        if (!serverDown) {
            warnings.warn("server-down", "Stepwise server unavailable (" + reason
                    + "); spooling to " + s.spoolDir() + " and replaying when it is back");
            probeDelayNanos = Math.min(cap, TimeUnit.MILLISECONDS.toNanos(100));
        } else {
            probeDelayNanos = Math.min(cap, probeDelayNanos * 2);
        }
        serverDown = true;
        nextProbeNanos = System.nanoTime() + probeDelayNanos;
    }

    private void replaySpool() throws InterruptedException {
        if (serverDown && System.nanoTime() < nextProbeNanos) {
            return;
        }
        if (replayOwnSpool()) {
            replayOrphans();
        }
    }

    /**
     * Replays, a few files per round, what ended processes left in the spool directory (a crashed
     * trainer, an earlier run that could not reach the server before its deadline).
     */
    private void replayOrphans() throws InterruptedException {
        long now = System.nanoTime();
        if (orphans.isEmpty()) {
            if (now < nextOrphanScanNanos) {
                return;
            }
            nextOrphanScanNanos = now + ORPHAN_SCAN_NANOS;
            try {
                for (Path p : spool.adoptOrphans()) {
                    if (!orphansSkipped.contains(p)) {
                        orphans.add(p);
                    }
                }
            } catch (IOException e) {
                return;
            }
            if (!orphans.isEmpty()) {
                warnings.warn("orphans", "Stepwise is replaying " + orphans.size() + " spooled entries that an "
                        + "earlier process left in " + s.spoolDir());
            }
        }
        boolean progressed = false;
        for (int i = 0; i < ORPHANS_PER_ROUND && !orphans.isEmpty() && !abandoned; i++) {
            Path file = orphans.peekFirst();
            Replayer.Report r = replayer.replay(file, 1, this::deadline, false);
            switch (r.result()) {
                case ACCEPTED:
                    markUp();
                    orphans.removeFirst();
                    progressed = true;
                    break;
                case REJECTED:
                    progressed = true;
                    warnings.warn("replay-rejected", "Stepwise refused spooled " + r.kind() + " entry "
                            + file.getFileName() + " (moved to " + Spool.REJECTED_DIR + "/): " + r.reason());
                    orphans.removeFirst();
                    break;
                case AUTH_FAILED:
                    // Another project's or another key's leftovers: leave them for `stepwise-cli sync`.
                    orphansSkipped.add(orphans.removeFirst());
                    break;
                default:
                    markDown(r.reason());
                    return;
            }
        }
        if (orphans.isEmpty() && progressed) {
            // Rescan soon: releases the writers just finished, picks up more if there are any.
            nextOrphanScanNanos = Math.min(nextOrphanScanNanos, now);
        }
    }

    /**
     * Replays this client's own spooled files, oldest first, for one time slice or until a full
     * live batch is waiting; false while entries remain or the server went away meanwhile.
     */
    private boolean replayOwnSpool() throws InterruptedException {
        if (ownSpoolEmpty()) {
            return true;
        }
        if (backlog.isEmpty()) {
            long writes = spoolWrites.get();
            List<Path> files;
            try {
                files = spool.list(true);
            } catch (IOException e) {
                return false;
            }
            if (files.isEmpty()) {
                spoolCleanAt = writes;
                return true;
            }
            backlog.addAll(files);
        }
        long sliceEnd = System.nanoTime() + REPLAY_SLICE_NANOS;
        while (!backlog.isEmpty() && !abandoned) {
            if (queued.get() >= s.batchSize() || !ops.isEmpty() || System.nanoTime() > sliceEnd) {
                return false;
            }
            Path file = backlog.peekFirst();
            Replayer.Report r = replayer.replay(file, 1, this::deadline);
            switch (r.result()) {
                case ACCEPTED:
                    markUp();
                    backlog.removeFirst();
                    if (Spool.KIND_RUN.equals(r.kind())) {
                        RunState live = liveRuns.get(r.entry().runId());
                        if (live != null) {
                            live.created = true;
                        }
                    }
                    break;
                case REJECTED:
                    backlog.removeFirst();
                    warnings.warn("replay-rejected", "Stepwise refused spooled " + r.kind() + " entry "
                            + file.getFileName() + " (moved to " + Spool.REJECTED_DIR + "/): " + r.reason());
                    if (Spool.KIND_RUN.equals(r.kind()) && r.entry() != null) {
                        RunState live = liveRuns.get(r.entry().runId());
                        if (live != null) {
                            live.rejected = true;
                        }
                    }
                    break;
                case AUTH_FAILED:
                    // The key lost its rights: keep the file for `stepwise-cli sync` with a valid key.
                    backlog.removeFirst();
                    warnings.warn("replay-auth", "Stepwise could not replay spooled entries with this key ("
                            + r.reason() + "); they stay in " + s.spoolDir());
                    break;
                default:
                    markDown(r.reason());
                    return false;
            }
        }
        return false;
    }

    /**
     * Whether everything logged and queued before a flush began is stored: online on the server
     * (nothing left in memory, in flight or in this client's spool), offline in the spool.
     */
    private boolean settledSince(long loggedTarget, long opsTarget) {
        Stats now = counters.snapshot();
        long settled = now.logged() - now.pending();
        return settled >= loggedTarget && opsSettled.get() >= opsTarget && spoolerBusy.get() == 0
                && overflowEmpty();
    }

    // ------------------------------------------------------------------ spooling

    private void spoolPoints(List<Point> points, String batchId) {
        Map<RunState, List<Point>> byRun = new LinkedHashMap<>();
        for (Point p : points) {
            byRun.computeIfAbsent(p.run, r -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<RunState, List<Point>> e : byRun.entrySet()) {
            RunState run = e.getKey();
            List<Point> pts = e.getValue();
            String id = batchId != null ? batchId : UUID.randomUUID().toString();
            try {
                Path f = spool.writeMetrics(run.project, run.id, run.spec.name(), id, pts);
                if (f == null) {
                    drop(pts, "spool full", "the spool directory " + s.spoolDir() + " reached its cap of "
                            + s.spoolMaxBytes() + " bytes");
                } else {
                    spoolWrites.incrementAndGet();
                    counters.spooled.add(pts.size());
                    counters.settled.add(pts.size());
                }
            } catch (IOException | RuntimeException ex) {
                drop(pts, "spool write failed", "writing to the spool directory " + s.spoolDir() + " failed: " + ex);
            }
        }
    }

    private void spoolOp(Op op) {
        RunState run = op.run;
        try {
            Path f;
            switch (op.kind) {
                case Op.CREATE:
                    f = spool.writeRun(run.project, run.id, run.spec);
                    break;
                case Op.STATUS:
                    f = spool.writeStatus(run.project, run.id, run.spec.name(), (String) op.body.get("status"));
                    break;
                case Op.CONFIG:
                    @SuppressWarnings("unchecked")
                    Map<String, Object> config = (Map<String, Object>) op.body.get("config");
                    f = spool.writeConfig(run.project, run.id, run.spec.name(), config);
                    break;
                default:
                    f = spool.writeArtifact(run.project, run.id, run.spec.name(), op.body);
                    break;
            }
            if (f == null) {
                warnings.warn("spool-full-op", "Stepwise could not spool " + op.describe()
                        + ": the spool directory reached its byte cap");
            } else {
                spoolWrites.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            warnings.warn("spool-failed-op", "Stepwise could not spool " + op.describe() + ": " + e);
        }
    }

    // ------------------------------------------------------------------ heartbeats

    private void sendHeartbeats() {
        for (RunState run : heartbeatRuns.values()) {
            if (!run.created || serverDown || closing) {
                continue;
            }
            try {
                api.heartbeat(run.project, run.id);
            } catch (IOException | RuntimeException ignored) {
                // a missed heartbeat is harmless; uploads also count as signs of life
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
        long opsTarget = opsEnqueued.get();
        if (worker == null || !worker.isAlive()) {
            return counters.snapshot().pending() == 0 && counters.dropped.sum() == 0;
        }
        flushWaiters.incrementAndGet();
        try {
            LockSupport.unpark(worker);
            synchronized (flushLock) {
                while (true) {
                    if (settledSince(loggedTarget, opsTarget)) {
                        if (counters.dropped.sum() > 0) {
                            return false;
                        }
                        if (s.mode() != Mode.ONLINE || ownSpoolEmpty()) {
                            return true;
                        }
                    }
                    long left = endNanos - System.nanoTime();
                    if (left <= 0 || !worker.isAlive()) {
                        return false;
                    }
                    // The worker signals after every round; the bound only covers a round still under way.
                    TimeUnit.NANOSECONDS.timedWait(flushLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            flushWaiters.decrementAndGet();
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
            heartbeats.shutdownNow();
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
        stopSpooler = true;
        try {
            spooler.join(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Whatever the worker could not handle goes to disk without touching the network.
        serverDown = true;
        nextProbeNanos = Long.MAX_VALUE;
        Op op;
        while ((op = ops.poll()) != null) {
            spoolOp(op);
            opsSettled.incrementAndGet();
        }
        List<Point> rest = new ArrayList<>();
        Point p;
        while ((p = queue.poll()) != null) {
            rest.add(p);
        }
        queued.addAndGet(-rest.size());
        if (!rest.isEmpty()) {
            spoolPoints(rest, null);
        }
        spoolOverflow();
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
            heartbeats.shutdownNow();
        }
        if (worker != null) {
            worker.interrupt();
            spooler.interrupt();
        }
        if (spool != null) {
            // A killed process leaves its lock files behind, unlocked.
            spool.releaseLocks();
        }
    }

    /** A run event queued for the worker. */
    private static final class Op {
        static final int CREATE = 0;
        static final int STATUS = 1;
        static final int ARTIFACT = 2;
        static final int CONFIG = 3;

        final int kind;
        final RunState run;
        final Map<String, Object> body;

        Op(int kind, RunState run, Map<String, Object> body) {
            this.kind = kind;
            this.run = run;
            this.body = body;
        }

        String describe() {
            switch (kind) {
                case CREATE:
                    return "the creation of run " + run.id;
                case STATUS:
                    return "status " + body.get("status") + " of run " + run.id;
                case CONFIG:
                    return "config " + ((Map<?, ?>) body.get("config")).keySet() + " of run " + run.id;
                default:
                    return "artifact '" + body.get("name") + "' of run " + run.id;
            }
        }
    }
}
