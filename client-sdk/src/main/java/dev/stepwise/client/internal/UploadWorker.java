package dev.stepwise.client.internal;

import dev.stepwise.client.Mode;
import dev.stepwise.client.internal.RunEventQueue.Event;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The loop of the {@code stepwise-uploader} thread. Each round it parks until there is work — four
 * full batches queued, a run event, a flush or close, a due probe of a server that is down, or the
 * flush interval — then sends run events in order (points logged before a finish or config change
 * go first), drains the {@link Batcher} by run into batches for the {@link Uploader}, and, online,
 * gives the {@link SpoolReplayer} a slice. After every round it wakes the threads waiting in
 * {@link #awaitRound}. On close it drains once more and ends. Not API.
 */
final class UploadWorker implements Runnable {

    private final Settings s;
    private final Batcher batcher;
    private final RunEventQueue ops;
    private final Uploader uploader;
    private final SpoolReplayer spoolReplayer;
    private final ServerHealth health;
    private final Map<UUID, RunState> liveRuns;
    private final int spoolChunk;
    private final BooleanSupplier abandoned;
    private final BooleanSupplier closing;
    private final Object roundDone = new Object();
    private final AtomicInteger flushWaiters = new AtomicInteger();

    UploadWorker(Settings s, Batcher batcher, RunEventQueue ops, Uploader uploader, SpoolReplayer spoolReplayer,
            ServerHealth health, Map<UUID, RunState> liveRuns, int spoolChunk, BooleanSupplier abandoned,
            BooleanSupplier closing) {
        this.s = s;
        this.batcher = batcher;
        this.ops = ops;
        this.uploader = uploader;
        this.spoolReplayer = spoolReplayer;
        this.health = health;
        this.liveRuns = liveRuns;
        this.spoolChunk = spoolChunk;
        this.abandoned = abandoned;
        this.closing = closing;
    }

    @Override
    public void run() {
        long lastSend = System.nanoTime();
        long intervalNanos = Math.max(1, s.flushInterval().toNanos());
        try {
            while (!abandoned.getAsBoolean()) {
                boolean flushing = flushWaiters.get() > 0;
                boolean closingNow = closing.getAsBoolean();
                long now = System.nanoTime();
                long wait = waitNanos(now, lastSend, intervalNanos, flushing, closingNow);
                if (wait > 0) {
                    batcher.parkWorker(wait);
                    continue;
                }
                processOps();
                if (abandoned.getAsBoolean()) {
                    return;
                }
                if (batcher.queued() > 0 || now - lastSend >= intervalNanos || flushing || closingNow) {
                    drainQueue();
                    batcher.spoolOverflow();
                    lastSend = System.nanoTime();
                }
                if (closingNow) {
                    processOps();
                    drainQueue();
                    batcher.spoolOverflow();
                    return;
                }
                if (s.mode() == Mode.ONLINE) {
                    spoolReplayer.round(abandoned);
                }
                if (flushing) {
                    synchronized (roundDone) {
                        roundDone.notifyAll();
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
        if (closingNow || !ops.isEmpty() || batcher.queued() >= s.batchSize()) {
            return 0;
        }
        boolean local = batcher.queued() > 0 || !batcher.overflowIdle();
        if (flushing && local) {
            return 0;
        }
        // Idle, the worker still wakes once per interval: leftovers of ended writers are looked for then.
        long wait = intervalNanos - (now - lastSend);
        boolean online = s.mode() == Mode.ONLINE;
        if (online && (spoolReplayer.pending() || flushing)) {
            if (!health.down()) {
                return spoolReplayer.pending() ? 0 : Math.max(0, wait);
            }
            wait = Math.min(wait, health.nextProbeNanos() - now);
        }
        return Math.max(0, wait);
    }

    private void processOps() throws InterruptedException {
        Event op;
        while ((op = ops.poll()) != null) {
            if (op.kind != Event.CREATE) {
                // Points logged before a finish or a config change go first.
                drainQueue();
            }
            try {
                uploader.event(op);
            } finally {
                ops.settle();
                if (op.ends()) {
                    liveRuns.remove(op.run.id);
                }
            }
        }
    }

    private void drainQueue() throws InterruptedException {
        int toDrain = batcher.queued();
        while (toDrain > 0) {
            // Batches bound for the spool anyway are cut larger: fewer files, fewer fsyncs.
            boolean toSpool = s.mode() == Mode.OFFLINE || (health.waiting());
            int n = Math.min(toDrain, toSpool ? spoolChunk : s.batchSize());
            Map<RunState, List<Point>> byRun = batcher.take(n);
            if (byRun.isEmpty()) {
                return;
            }
            toDrain -= n;
            for (Map.Entry<RunState, List<Point>> e : byRun.entrySet()) {
                if (e.getKey().createPending) {
                    processOps();
                }
                uploader.batch(e.getKey(), e.getValue());
            }
        }
    }

    /** Whether a live batch or run event waits, so that a replay slice ends early. */
    boolean liveWorkWaiting() {
        return batcher.queued() >= s.batchSize() || !ops.isEmpty();
    }

    /** Registers a thread that waits for rounds (the worker then does not idle while it waits). */
    void flushBegin() {
        flushWaiters.incrementAndGet();
    }

    void flushEnd() {
        flushWaiters.decrementAndGet();
    }

    /** Waits for the end of the worker's next round, at most {@code nanos}. */
    void awaitRound(long nanos) throws InterruptedException {
        synchronized (roundDone) {
            TimeUnit.NANOSECONDS.timedWait(roundDone, nanos);
        }
    }
}
