package dev.stepwise.client.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The bounded point queue between {@code log} callers and the upload worker, like the queue of
 * OpenTelemetry's BatchSpanProcessor: {@link #offer} never blocks, wakes the parked worker once
 * four batches are waiting, and past the capacity collects points into chunks that a {@code stepwise-spooler}
 * daemon thread writes to the spool (the caller writes a chunk itself only when 32 are already
 * waiting, rather than grow memory). The worker takes points grouped by run with {@link #take}.
 *
 * <p>Not API: may change without notice. Thread-safe; many producers, one consumer.
 */
final class Batcher {

    private final int capacity;
    private final int spoolChunk;
    private final int wakeAt;
    private final int highWatermark;
    private final Consumer<List<Point>> spool;
    private final Runnable onOverflow;

    private final ConcurrentLinkedQueue<Point> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Object overflowLock = new Object();
    private ArrayList<Point> overflow = new ArrayList<>();
    // Full overflow chunks wait here for the spooler thread, so callers rarely touch the disk.
    private final ArrayBlockingQueue<List<Point>> chunks = new ArrayBlockingQueue<>(32);
    private final AtomicInteger chunksBusy = new AtomicInteger();
    private final Thread spooler;
    private volatile Thread worker;
    // Set while the worker is parked, so that log() pays for an unpark only when it is needed.
    private volatile boolean workerParked;
    private volatile boolean stopping;

    /**
     * Creates the queue and starts its spooler thread.
     *
     * @param capacity points held in memory
     * @param batchSize points per upload; four full batches wake the worker
     * @param spoolChunk points per overflow chunk
     * @param spool writes a chunk of points to the spool (and counts them)
     * @param onOverflow called when a chunk overflows (for a rate-limited warning)
     */
    Batcher(int capacity, int batchSize, int spoolChunk, Consumer<List<Point>> spool, Runnable onOverflow) {
        this.capacity = capacity;
        this.spoolChunk = spoolChunk;
        this.highWatermark = Math.max(1, capacity / 2);
        // Four batches, not one: the unpark is a system call of a few microseconds, and paying it
        // on one log() call in a thousand would show in the caller's p99.9. The interval bounds
        // the wait of a slower trainer anyway.
        this.wakeAt = (int) Math.min(highWatermark, 4L * batchSize);
        this.spool = spool;
        this.onOverflow = onOverflow;
        spooler = new Thread(this::spoolLoop, "stepwise-spooler");
        spooler.setDaemon(true);
        spooler.start();
    }

    /** Sets the worker that a full batch wakes. */
    void worker(Thread t) {
        worker = t;
    }

    /**
     * Queues a point, or adds it to the overflow when the queue is full. Never blocks on the
     * network; may write to disk only when the spooler thread is 32 chunks behind.
     */
    void offer(Point p) {
        int n = queued.incrementAndGet();
        if (n > capacity) {
            queued.decrementAndGet();
            overflow(p);
            return;
        }
        queue.offer(p);
        // The unpark is a system call: paid once per batch at most, and only when the worker sleeps.
        if ((n == wakeAt || n == highWatermark) && workerParked) {
            LockSupport.unpark(worker);
        }
    }

    /** Parks the worker for at most {@code nanos} unless a full batch is already waiting. */
    void parkWorker(long nanos) {
        workerParked = true;
        // Re-check after publishing the flag: an offer that filled a batch meanwhile saw it unset.
        // Events, flushes and close unpark unconditionally; LockSupport keeps that permit.
        if (queued.get() < wakeAt) {
            LockSupport.parkNanos(this, nanos);
        }
        workerParked = false;
    }

    /** @return points in the queue */
    int queued() {
        return queued.get();
    }

    /** @return whether no overflow point is waiting to be spooled */
    boolean overflowIdle() {
        synchronized (overflowLock) {
            return overflow.isEmpty() && chunksBusy.get() == 0;
        }
    }

    /**
     * Takes up to {@code max} points, oldest first, grouped by run.
     *
     * @return run to its points in queue order; empty when the queue is
     */
    Map<RunState, List<Point>> take(int max) {
        Map<RunState, List<Point>> byRun = new LinkedHashMap<>();
        int got = 0;
        Point p;
        while (got < max && (p = queue.poll()) != null) {
            byRun.computeIfAbsent(p.run, r -> new ArrayList<>()).add(p);
            got++;
        }
        queued.addAndGet(-got);
        return byRun;
    }

    /** Spools every overflow point now, on the calling thread. */
    void spoolOverflow() {
        List<Point> chunk;
        while ((chunk = chunks.poll()) != null) {
            try {
                spool.accept(chunk);
            } finally {
                chunksBusy.decrementAndGet();
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
        spool.accept(taken);
    }

    /** Lets the spooler thread finish the chunks it has and waits for it at most {@code millis}. */
    void stopSpooler(long millis) throws InterruptedException {
        stopping = true;
        spooler.join(Math.max(1, millis));
    }

    /** Stops the spooler thread at once (a simulated crash). */
    void abandon() {
        stopping = true;
        spooler.interrupt();
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
            onOverflow.run();
            chunksBusy.incrementAndGet();
            if (!chunks.offer(full)) {
                // The spooler is behind too: this caller writes the chunk itself rather than grow memory.
                try {
                    spool.accept(full);
                } finally {
                    chunksBusy.decrementAndGet();
                }
            }
        }
    }

    private void spoolLoop() {
        while (true) {
            List<Point> chunk;
            try {
                chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (chunk == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            try {
                spool.accept(chunk);
            } catch (RuntimeException e) {
                Warnings.LOG.log(System.Logger.Level.ERROR, "Stepwise spooler failed", e);
            } finally {
                chunksBusy.decrementAndGet();
            }
        }
    }
}
