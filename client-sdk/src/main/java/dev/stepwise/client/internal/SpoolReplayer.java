package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Replays the spool in the background for the upload worker, like Sentry's offline cache:
 * first this client's own entries, oldest first, in slices of up to 200 ms that yield as soon as
 * a live batch or run event is waiting (so a backlog is caught up at full upload speed while the
 * run goes on), then, once its own are gone, a few entries per round of what ended processes
 * left behind. It also tracks, without a race, whether this client's own spool is empty: every
 * spool write bumps a counter after its file is in place, and a listing that comes back empty
 * records the counter value read before it.
 *
 * <p>Not API: may change without notice. Called by the worker only, except {@link #written()}
 * and {@link #ownEmpty()}, which are thread-safe.
 */
final class SpoolReplayer {

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long ORPHAN_SCAN_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int ORPHANS_PER_ROUND = 4;

    private final Spool spool;
    private final Replayer replayer;
    private final ServerHealth health;
    private final Warnings warnings;
    private final Map<UUID, RunState> liveRuns;
    private final BooleanSupplier liveWorkWaiting;
    private final LongSupplier deadline;

    private final AtomicLong writes = new AtomicLong();
    private volatile long cleanAt;
    private final ArrayDeque<Path> backlog = new ArrayDeque<>();
    private final ArrayDeque<Path> orphans = new ArrayDeque<>();
    private final Set<Path> orphansSkipped = new HashSet<>();
    private long nextOrphanScanNanos = System.nanoTime();

    /**
     * Creates the replayer of one client's spool.
     *
     * @param spool the spool
     * @param replayer sends one entry
     * @param health marked up or down by the answers
     * @param warnings for refused entries
     * @param liveRuns open runs, marked created or rejected when their spooled creation is answered
     * @param liveWorkWaiting true when a live batch or run event waits, to end a slice early
     * @param deadline the {@link System#nanoTime()} deadline of requests (the close deadline)
     */
    SpoolReplayer(Spool spool, Replayer replayer, ServerHealth health, Warnings warnings,
            Map<UUID, RunState> liveRuns, BooleanSupplier liveWorkWaiting, LongSupplier deadline) {
        this.spool = spool;
        this.replayer = replayer;
        this.health = health;
        this.warnings = warnings;
        this.liveRuns = liveRuns;
        this.liveWorkWaiting = liveWorkWaiting;
        this.deadline = deadline;
    }

    /** Records that this client wrote a spool entry; call after the file is in place. */
    void written() {
        writes.incrementAndGet();
    }

    /** @return whether this client's own spool is known to be empty */
    boolean ownEmpty() {
        return cleanAt == writes.get();
    }

    /** @return whether there is anything to replay now (own entries or adopted leftovers) */
    boolean pending() {
        return !ownEmpty() || !orphans.isEmpty();
    }

    /**
     * Replays one round: own entries for a slice, then leftovers when the own spool is empty.
     *
     * @param abandoned true when the client was abandoned (stop at once)
     * @throws InterruptedException when interrupted
     */
    void round(BooleanSupplier abandoned) throws InterruptedException {
        if (health.waiting()) {
            return;
        }
        if (replayOwn(abandoned)) {
            replayOrphans(abandoned);
        }
    }

    /** Replays own entries; true only when the own spool is empty. */
    private boolean replayOwn(BooleanSupplier abandoned) throws InterruptedException {
        if (ownEmpty()) {
            return true;
        }
        if (backlog.isEmpty()) {
            long before = writes.get();
            List<Path> files;
            try {
                files = spool.list(true);
            } catch (IOException e) {
                return false;
            }
            if (files.isEmpty()) {
                cleanAt = before;
                return true;
            }
            backlog.addAll(files);
        }
        long sliceEnd = System.nanoTime() + SLICE_NANOS;
        while (!backlog.isEmpty() && !abandoned.getAsBoolean()) {
            if (liveWorkWaiting.getAsBoolean() || System.nanoTime() > sliceEnd) {
                return false;
            }
            Path file = backlog.peekFirst();
            Replayer.Report r = replayer.replay(file, 1, deadline);
            switch (r.result()) {
                case ACCEPTED:
                    health.up();
                    backlog.removeFirst();
                    markRun(r, true);
                    break;
                case REJECTED:
                    backlog.removeFirst();
                    warnings.warn("replay-rejected", "Stepwise refused spooled " + r.kind() + " entry "
                            + file.getFileName() + " (moved to " + Spool.REJECTED_DIR + "/): " + r.reason());
                    markRun(r, false);
                    break;
                case AUTH_FAILED:
                    // The key lost its rights: the file stays; tried again with backoff, or synced later.
                    warnings.warn("replay-auth", "Stepwise could not replay spooled entries with this key ("
                            + r.reason() + "); they stay in " + spool.dir());
                    backlog.clear();
                    health.failed(r.reason());
                    return false;
                default:
                    health.failed(r.reason());
                    return false;
            }
        }
        return false;
    }

    private void markRun(Replayer.Report r, boolean created) {
        if (!Spool.KIND_RUN.equals(r.kind()) || r.entry() == null) {
            return;
        }
        RunState live = liveRuns.get(r.entry().runId());
        if (live == null) {
            return;
        }
        if (created) {
            live.created = true;
        } else {
            live.rejected = true;
        }
    }

    /**
     * Replays, a few files per round, what ended processes left in the spool directory (a crashed
     * trainer, an earlier run that could not reach the server before its deadline).
     */
    private void replayOrphans(BooleanSupplier abandoned) throws InterruptedException {
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
                        + "earlier process left in " + spool.dir());
            }
        }
        boolean progressed = false;
        for (int i = 0; i < ORPHANS_PER_ROUND && !orphans.isEmpty() && !abandoned.getAsBoolean(); i++) {
            Path file = orphans.peekFirst();
            Replayer.Report r = replayer.replay(file, 1, deadline, false);
            switch (r.result()) {
                case ACCEPTED:
                    health.up();
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
                    health.failed(r.reason());
                    return;
            }
        }
        if (orphans.isEmpty() && progressed) {
            // Rescan soon: releases the writers just finished, picks up more if there are any.
            nextOrphanScanNanos = Math.min(nextOrphanScanNanos, now);
        }
    }
}
