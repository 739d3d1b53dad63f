package dev.stepwise.client.internal;

import java.util.List;
import java.util.function.LongSupplier;

import dev.stepwise.client.internal.RunEventQueue.Event;

/**
 * Where the upload worker sends batches and run events, the counterpart of OpenTelemetry's
 * {@code SpanExporter}: the worker decides what to send and when (batching, ordering, spooling,
 * probing), an exporter only delivers one request with a given attempt budget and reports how it
 * ended. {@link HttpExporter} (the REST API behind the {@link Retrier}) is the implementation;
 * SDK tests use an in-memory one.
 *
 * <p>Not API: may change without notice. Implementations are called by one thread at a time.
 */
public interface Exporter {

    /**
     * Sends a run event: create, status, config or artifact.
     *
     * @param event the event
     * @param attempts attempts, at least 1
     * @param deadline read before every attempt and wait ({@link System#nanoTime()})
     * @return how it ended
     * @throws InterruptedException when interrupted
     */
    Retrier.Outcome send(Event event, int attempts, LongSupplier deadline) throws InterruptedException;

    /**
     * Uploads one batch of points of one run under an idempotency key.
     *
     * @param run the run
     * @param batchId the batch id, reused on every retry and replay
     * @param points the points
     * @param attempts attempts, at least 1
     * @param deadline read before every attempt and wait ({@link System#nanoTime()})
     * @return how it ended
     * @throws InterruptedException when interrupted
     */
    Retrier.Outcome export(RunState run, String batchId, List<Point> points, int attempts, LongSupplier deadline)
            throws InterruptedException;

    /**
     * Uploads one rich item: its blob first ({@code PUT …/blobs/{sha256}}, content-addressed, so
     * 200 and 201 both do), then the item ({@code POST …/media}) under an idempotency key.
     *
     * @param project the project slug
     * @param runId the run id
     * @param batchId the batch id, reused on every retry and replay
     * @param item the encoded item
     * @param attempts attempts per request, at least 1
     * @param deadline read before every attempt and wait ({@link System#nanoTime()})
     * @return how it ended (a failed blob upload ends it)
     * @throws InterruptedException when interrupted
     */
    Retrier.Outcome media(String project, java.util.UUID runId, String batchId, MediaItem item, int attempts,
            LongSupplier deadline) throws InterruptedException;

    /**
     * Sends one spooled entry again, exactly as it was meant to be sent the first time (a metrics
     * entry under its own {@code batchId}).
     *
     * @param entry the entry read from the spool
     * @param attempts attempts, at least 1
     * @param deadline read before every attempt and wait ({@link System#nanoTime()})
     * @return how it ended
     * @throws InterruptedException when interrupted
     */
    Retrier.Outcome replay(Spool.Entry entry, int attempts, LongSupplier deadline) throws InterruptedException;

    /**
     * Reads the greatest step the server has for a run (to resume after it).
     *
     * @param run the run
     * @return the step, or -1 when none or unknown
     */
    long lastStep(RunState run);
}
