package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import dev.stepwise.client.Mode;
import dev.stepwise.client.internal.RunEventQueue.Event;

/**
 * Delivers what the upload worker hands it, one batch, run event or rich item at a time (a rich
 * item is encoded here, on the worker, and counted in the media counters): through the
 * {@link Exporter} when the server is believed up (with the full retry budget, or one attempt as
 * a probe once {@link ServerHealth} says a probe is due), otherwise into the {@link Spool}, so
 * nothing waits in memory for a server that is away. Points the server refuses for good are
 * dropped and counted by reason; a batch whose answer is unknown is spooled under its own
 * {@code batchId}, so its replay is stored once.
 *
 * <p>Not API: may change without notice. Called by the worker (and by the closing thread once the
 * worker is gone), one call at a time.
 */
final class Uploader {

    private final Settings s;
    private final Counters counters;
    private final Warnings warnings;
    private final Exporter exporter;
    private final ServerHealth health;
    private final Spool spool;
    private final SpoolReplayer spoolReplayer;
    private final LongSupplier deadline;

    /**
     * Creates the uploader.
     *
     * @param s the settings
     * @param counters where points are counted
     * @param warnings for refusals
     * @param exporter where requests go, or {@code null} offline
     * @param health marked by the answers
     * @param spool where the rest goes
     * @param spoolReplayer told about every spool write
     * @param deadline the {@link System#nanoTime()} deadline of requests (the close deadline)
     */
    Uploader(Settings s, Counters counters, Warnings warnings, Exporter exporter, ServerHealth health, Spool spool,
            SpoolReplayer spoolReplayer, LongSupplier deadline) {
        this.s = s;
        this.counters = counters;
        this.warnings = warnings;
        this.exporter = exporter;
        this.health = health;
        this.spool = spool;
        this.spoolReplayer = spoolReplayer;
        this.deadline = deadline;
    }

    /**
     * Sends a run event, or spools it: offline, while the server is down, before its run exists
     * on the server, or while older entries of this client wait in the spool (order is kept).
     *
     * @param op the event
     * @throws InterruptedException when interrupted (the event is spooled first)
     */
    void event(Event op) throws InterruptedException {
        if (op.kind == Event.MEDIA) {
            media(op);
            return;
        }
        RunState run = op.run;
        if (op.kind == Event.CREATE) {
            run.createPending = false;
        }
        if (s.mode() == Mode.OFFLINE || (op.kind != Event.CREATE && !run.created && !run.rejected)) {
            spoolOp(op);
            return;
        }
        if (run.rejected) {
            return;
        }
        if (op.kind != Event.CREATE && !spoolReplayer.ownEmpty()) {
            // Spooled entries of this client are replayed in order: an event after them waits its turn.
            spoolOp(op);
            return;
        }
        boolean probe = health.down();
        if (health.waiting()) {
            spoolOp(op);
            return;
        }
        Retrier.Outcome o;
        try {
            o = exporter.send(op, probe ? 1 : s.retryPolicy().maxAttempts(), deadline);
        } catch (InterruptedException e) {
            spoolOp(op);
            throw e;
        }
        switch (o.kind()) {
            case OK:
                health.up();
                if (op.kind == Event.CREATE) {
                    run.created = true;
                }
                break;
            case REJECTED:
                if (op.kind == Event.CREATE) {
                    run.rejected = true;
                }
                warnings.warn("op-rejected:" + op.kind + ":" + o.response().status(),
                        "Stepwise refused " + op.describe() + ": " + o.reason());
                break;
            default:
                health.failed(o.reason());
                spoolOp(op);
                break;
        }
    }

    /**
     * Uploads one batch of one run under a fresh batch id, or spools it: offline, while the server
     * is down, before the run exists on the server, or after the retries.
     *
     * @param run the run
     * @param points its points
     * @throws InterruptedException when interrupted (the batch is spooled with its id first)
     */
    void batch(RunState run, List<Point> points) throws InterruptedException {
        if (s.mode() == Mode.OFFLINE || !run.created) {
            if (run.rejected) {
                drop(points, "run refused by the server", "run " + run.id + " was refused by the server");
            } else {
                spoolPoints(points, null);
            }
            return;
        }
        boolean probe = health.down();
        if (health.waiting()) {
            spoolPoints(points, null);
            return;
        }
        String batchId = UUID.randomUUID().toString();
        Retrier.Outcome o;
        try {
            o = exporter.export(run, batchId, points, probe ? 1 : s.retryPolicy().maxAttempts(), deadline);
        } catch (InterruptedException e) {
            // The server may have stored it; the spooled copy keeps the batch id, so replay is exact.
            spoolPoints(points, batchId);
            throw e;
        }
        switch (o.kind()) {
            case OK:
                health.up();
                counters.uploaded.add(points.size());
                counters.settled.add(points.size());
                break;
            case REJECTED:
                drop(points, "rejected by the server (HTTP " + o.response().status() + ")",
                        "the server refused a batch of " + points.size() + " points for run " + run.id + ": "
                                + o.reason());
                break;
            default:
                health.failed(o.reason());
                spoolPoints(points, batchId);
                break;
        }
    }

    /**
     * Encodes a rich item (here, on the worker) and uploads it, blob first, or spools it with its
     * bytes under the same rules as a run event; counts it in the media counters.
     */
    private void media(Event op) throws InterruptedException {
        RunState run = op.run;
        MediaItem item;
        try {
            item = op.item();
        } catch (RuntimeException e) {
            dropMedia(op, "encoding failed", "could not encode a rich item of run " + run.id + ": " + e);
            return;
        } finally {
            counters.mediaQueuedBytes.addAndGet(-op.weight);
        }
        if (run.rejected) {
            dropMedia(op, "run refused by the server", "run " + run.id + " was refused by the server");
            return;
        }
        if (s.mode() == Mode.OFFLINE || !run.created || !spoolReplayer.ownEmpty() || health.waiting()) {
            spoolOp(op);
            return;
        }
        boolean probe = health.down();
        Retrier.Outcome o;
        try {
            o = exporter.media(run.project, run.id, op.batchId, item, probe ? 1 : s.retryPolicy().maxAttempts(),
                    deadline);
        } catch (InterruptedException e) {
            spoolOp(op);
            throw e;
        }
        switch (o.kind()) {
            case OK:
                health.up();
                counters.mediaUploaded.increment();
                break;
            case REJECTED:
                dropMedia(op, "rejected by the server (HTTP " + o.response().status() + ")",
                        "the server refused " + item.type() + " '" + item.key() + "' of run " + run.id + ": "
                                + o.reason());
                break;
            default:
                health.failed(o.reason());
                spoolOp(op);
                break;
        }
    }

    private void dropMedia(Event op, String reason, String detail) {
        counters.dropMedia(1, reason);
        warnings.warn("media-dropped:" + reason, "Stepwise dropped a rich item: " + detail);
    }

    private void drop(List<Point> points, String reason, String detail) {
        counters.drop(points.size(), reason);
        counters.settled.add(points.size());
        warnings.warn("dropped:" + reason, "Stepwise dropped " + points.size() + " points: " + detail);
    }

    /**
     * Spools points, one entry per run, under {@code batchId} (a fresh one when {@code null}).
     *
     * @param points the points
     * @param batchId the batch id of an upload whose answer is unknown, or {@code null}
     */
    void spoolPoints(List<Point> points, String batchId) {
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
                    spoolReplayer.written();
                    counters.spooled.add(pts.size());
                    counters.settled.add(pts.size());
                }
            } catch (IOException | RuntimeException ex) {
                drop(pts, "spool write failed", "writing to the spool directory " + s.spoolDir() + " failed: " + ex);
            }
        }
    }

    /**
     * Spools a run event.
     *
     * @param op the event
     */
    void spoolOp(Event op) {
        RunState run = op.run;
        try {
            Path f;
            switch (op.kind) {
                case Event.CREATE:
                    f = spool.writeRun(run.project, run.id, run.spec);
                    break;
                case Event.STATUS:
                    f = spool.writeStatus(run.project, run.id, run.spec.name(), (String) op.body.get("status"));
                    break;
                case Event.MEDIA:
                    f = spool.writeMedia(run.project, run.id, run.spec.name(), op.batchId, op.item());
                    if (f == null) {
                        dropMedia(op, "spool full", "the spool directory " + s.spoolDir() + " reached its cap");
                        return;
                    }
                    counters.mediaSpooled.increment();
                    break;
                case Event.CONFIG:
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
                spoolReplayer.written();
            }
        } catch (IOException | RuntimeException e) {
            if (op.kind == Event.MEDIA) {
                dropMedia(op, "spool write failed", "writing to the spool directory " + s.spoolDir() + " failed: " + e);
                return;
            }
            warnings.warn("spool-failed-op", "Stepwise could not spool " + op.describe() + ": " + e);
        }
    }
}
