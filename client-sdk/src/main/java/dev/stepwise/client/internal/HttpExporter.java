package dev.stepwise.client.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.stepwise.client.internal.RunEventQueue.Event;

/**
 * The {@link Exporter} of the Stepwise REST API: run events as {@code POST …/runs},
 * {@code PATCH …/runs/{id}} and {@code POST …/artifacts}, batches as gzip-compressed
 * {@code POST …/metrics} with their {@code batchId}, each through the {@link Retrier} (I/O errors,
 * 408, 429 and 5xx retried with backoff and {@code Retry-After}; other 4xx refused at once).
 *
 * <p>Not API: may change without notice. Thread-safe.
 */
final class HttpExporter implements Exporter {

    private final HttpApi api;
    private final Retrier retrier;

    /**
     * Creates the exporter.
     *
     * @param api the HTTP client of the REST API
     * @param retrier the retry policy runner
     */
    HttpExporter(HttpApi api, Retrier retrier) {
        this.api = api;
        this.retrier = retrier;
    }

    @Override
    public Retrier.Outcome send(Event e, int attempts, LongSupplier deadline) throws InterruptedException {
        RunState run = e.run;
        Retrier.Call call;
        switch (e.kind) {
            case Event.CREATE:
                call = t -> api.createRun(run.project, SpoolCodec.createBody(run.id, run.spec));
                break;
            case Event.STATUS:
            case Event.CONFIG:
                call = t -> api.patchRun(run.project, run.id, e.body);
                break;
            default:
                call = t -> api.postArtifact(run.project, run.id, e.body);
                break;
        }
        return retrier.execute(call, attempts, deadline);
    }

    @Override
    public Retrier.Outcome export(RunState run, String batchId, List<Point> points, int attempts,
            LongSupplier deadline) throws InterruptedException {
        byte[] body = MetricsCodec.encodeGzip(batchId, points);
        return retrier.execute(t -> api.postMetrics(run.project, run.id, body, t), attempts, deadline);
    }

    @Override
    public Retrier.Outcome media(String project, java.util.UUID runId, String batchId, MediaItem item, int attempts,
            LongSupplier deadline) throws InterruptedException {
        if (item.blob() != null) {
            Retrier.Outcome blob = retrier.execute(
                    t -> api.putBlob(project, item.sha256(), item.contentType(), item.blob(), t), attempts, deadline);
            if (blob.kind() != Retrier.Kind.OK) {
                return blob;
            }
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("batchId", batchId);
        body.put("items", List.of(item.toRequest()));
        byte[] gz = HttpApi.gzip(Json.toBytes(body));
        return retrier.execute(t -> api.postMedia(project, runId, gz, t), attempts, deadline);
    }

    @Override
    public Retrier.Outcome replay(Spool.Entry e, int attempts, LongSupplier deadline) throws InterruptedException {
        Retrier.Call call;
        switch (e.kind()) {
            case Spool.KIND_METRICS: {
                byte[] body = MetricsCodec.encodeGzip(e.batchId(), e.points());
                call = t -> api.postMetrics(e.project(), e.runId(), body, t);
                break;
            }
            case Spool.KIND_MEDIA:
                return media(e.project(), e.runId(), e.batchId(), SpoolCodec.mediaItem(e), attempts, deadline);
            case Spool.KIND_RUN:
                call = t -> api.createRun(e.project(), e.payload());
                break;
            case Spool.KIND_STATUS:
            case Spool.KIND_CONFIG:
                call = t -> api.patchRun(e.project(), e.runId(), e.payload());
                break;
            default:
                call = t -> api.postArtifact(e.project(), e.runId(), e.payload());
                break;
        }
        return retrier.execute(call, attempts, deadline);
    }

    @Override
    public long lastStep(RunState run) {
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
}
