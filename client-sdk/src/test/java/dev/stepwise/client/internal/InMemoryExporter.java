package dev.stepwise.client.internal;

import dev.stepwise.client.internal.RunEventQueue.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * An {@link Exporter} that is an in-memory Stepwise server with the real one's semantics for
 * what the pipeline relies on: runs created idempotently by id, config merged, points stored
 * exactly once per {@code batchId}, a refusal with 401. It can be taken down (every attempt fails
 * as an I/O error would), made to lose answers (the batch is stored, the attempt reported as a
 * 503) and made to refuse writes. Attempts within one call are retries with the same batch id, as
 * the {@link Retrier} would make them, without waiting. Thread-safe.
 */
public final class InMemoryExporter implements Exporter {

    /** What the server holds for one run. */
    public static final class StoredRun {
        /** Config, merged by every create and patch. */
        public final Map<String, Object> config = new ConcurrentHashMap<>();
        /** Points in upload order. */
        public final List<Point> points = new ArrayList<>();
        /** Batch id of every metric upload attempt that reached the server, in order. */
        public final List<String> batchAttempts = new ArrayList<>();
        final Set<String> batchIds = ConcurrentHashMap.newKeySet();
        /** Rich items in upload order, stored once per batch id. */
        public final List<MediaItem> media = new ArrayList<>();
        /** Batch id of every media upload attempt that reached the server, in order. */
        public final List<String> mediaAttempts = new ArrayList<>();
        final Set<String> mediaBatchIds = ConcurrentHashMap.newKeySet();
        /** The last status set, or {@code RUNNING}. */
        public volatile String status = "RUNNING";
    }

    private final Map<UUID, StoredRun> runs = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile boolean refusing;
    private final AtomicInteger answersToLose = new AtomicInteger();
    private final AtomicInteger mediaAnswersToLose = new AtomicInteger();
    /** Blobs by SHA-256, and the order of every blob and media request (to check blob-first). */
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    /** @param uploads how many next media uploads are stored while their answer is lost */
    public void loseMediaAnswers(int uploads) {
        mediaAnswersToLose.set(uploads);
    }

    /** @return the blob stored under a hash, or {@code null} */
    public byte[] blob(String sha256) {
        return blobs.get(sha256);
    }

    /** @return {@code PUT blob <sha>} and {@code POST media <batchId>} in arrival order */
    public List<String> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** @return a copy of the rich items stored for a run */
    public synchronized List<MediaItem> media(UUID runId) {
        StoredRun r = runs.get(runId);
        return r == null ? List.of() : new ArrayList<>(r.media);
    }

    /** @return a copy of the media batch ids seen for a run */
    public synchronized List<String> mediaAttempts(UUID runId) {
        StoredRun r = runs.get(runId);
        return r == null ? List.of() : new ArrayList<>(r.mediaAttempts);
    }

    private Retrier.Outcome putBlob(MediaItem item) {
        requests.add("PUT blob " + item.sha256());
        if (!MediaItem.sha256(item.blob()).equals(item.sha256())) {
            return new Retrier.Outcome(Retrier.Kind.REJECTED, new HttpApi.Response(400, new byte[0], null, null),
                    "HTTP 400: hash differs");
        }
        return blobs.putIfAbsent(item.sha256(), item.blob().clone()) == null ? ok(201) : ok(200);
    }

    private Retrier.Outcome postMedia(UUID runId, String batchId, MediaItem item) {
        synchronized (this) {
            requests.add("POST media " + batchId);
            StoredRun run = runs.get(runId);
            if (run == null) {
                return new Retrier.Outcome(Retrier.Kind.REJECTED, new HttpApi.Response(404, new byte[0], null, null),
                        "HTTP 404: no such run");
            }
            if (item.sha256() != null && !blobs.containsKey(item.sha256())) {
                return new Retrier.Outcome(Retrier.Kind.REJECTED, new HttpApi.Response(400, new byte[0], null, null),
                        "HTTP 400: blob missing");
            }
            run.mediaAttempts.add(batchId);
            if (run.mediaBatchIds.add(batchId)) {
                run.media.add(item);
            }
            if (mediaAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return null;
            }
            return ok(200);
        }
    }

    @Override
    public Retrier.Outcome media(String project, UUID runId, String batchId, MediaItem item, int attempts,
            LongSupplier deadline) {
        if (item.blob() != null) {
            Retrier.Outcome blob = attempt(attempts, () -> putBlob(item));
            if (blob.kind() != Retrier.Kind.OK) {
                return blob;
            }
        }
        return attempt(attempts, () -> postMedia(runId, batchId, item));
    }

    /** @param down whether every attempt fails as if the server were unreachable */
    public void down(boolean down) {
        this.down = down;
    }

    /** From now on every write is refused with 401. */
    public void refuseWrites() {
        refusing = true;
    }

    /** @param uploads how many next metric uploads are stored while their answer is lost */
    public void loseAnswers(int uploads) {
        answersToLose.set(uploads);
    }

    /**
     * @param id a run id
     * @return what is stored for it, or {@code null}
     */
    public StoredRun run(UUID id) {
        return runs.get(id);
    }

    private static Retrier.Outcome ok(int status) {
        return new Retrier.Outcome(Retrier.Kind.OK, new HttpApi.Response(status, new byte[0], null, null), null);
    }

    private static Retrier.Outcome refused() {
        byte[] body = "{\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"revoked key\"}"
                .getBytes(StandardCharsets.UTF_8);
        return new Retrier.Outcome(Retrier.Kind.REJECTED, new HttpApi.Response(401, body, null, null),
                "HTTP 401: revoked key");
    }

    private static Retrier.Outcome gaveUp(String reason, int attempts) {
        return new Retrier.Outcome(Retrier.Kind.GAVE_UP, null, reason + " (after " + attempts + " attempts)");
    }

    /** One request with up to {@code attempts} tries; {@code write} stores and answers. */
    private Retrier.Outcome attempt(int attempts, java.util.function.Supplier<Retrier.Outcome> write) {
        for (int i = 1; i <= attempts; i++) {
            if (down) {
                if (i == attempts) {
                    return gaveUp("ConnectException: in-memory server is down", attempts);
                }
                continue;
            }
            if (refusing) {
                return refused();
            }
            Retrier.Outcome o = write.get();
            if (o != null) {
                return o;
            }
        }
        return gaveUp("HTTP 503: answer lost", attempts);
    }

    private Retrier.Outcome event(String project, UUID runId, int kind, Map<String, Object> body) {
        synchronized (this) {
            StoredRun run = runs.get(runId);
            switch (kind) {
                case Event.CREATE: {
                    if (run != null) {
                        return ok(200);
                    }
                    StoredRun created = new StoredRun();
                    if (body.get("config") instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> created.config.put((String) k, v));
                    }
                    runs.put(runId, created);
                    return ok(201);
                }
                case Event.STATUS:
                case Event.CONFIG: {
                    if (run == null) {
                        return new Retrier.Outcome(Retrier.Kind.REJECTED,
                                new HttpApi.Response(404, new byte[0], null, null), "HTTP 404: no such run");
                    }
                    if (body.get("status") != null) {
                        run.status = (String) body.get("status");
                    }
                    if (body.get("config") instanceof Map<?, ?> m) {
                        StoredRun r = run;
                        m.forEach((k, v) -> r.config.put((String) k, v));
                    }
                    return ok(200);
                }
                default:
                    return run == null ? new Retrier.Outcome(Retrier.Kind.REJECTED,
                            new HttpApi.Response(404, new byte[0], null, null), "HTTP 404: no such run") : ok(201);
            }
        }
    }

    private Retrier.Outcome metrics(UUID runId, String batchId, List<Point> points) {
        synchronized (this) {
            StoredRun run = runs.get(runId);
            if (run == null) {
                return new Retrier.Outcome(Retrier.Kind.REJECTED, new HttpApi.Response(404, new byte[0], null, null),
                        "HTTP 404: no such run");
            }
            run.batchAttempts.add(batchId);
            if (run.batchIds.add(batchId)) {
                run.points.addAll(points);
            }
            if (answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return null;
            }
            return ok(200);
        }
    }

    @Override
    public Retrier.Outcome send(Event e, int attempts, LongSupplier deadline) {
        Map<String, Object> body = e.kind == Event.CREATE ? SpoolCodec.createBody(e.run.id, e.run.spec) : e.body;
        return attempt(attempts, () -> event(e.run.project, e.run.id, e.kind, body));
    }

    @Override
    public Retrier.Outcome export(RunState run, String batchId, List<Point> points, int attempts,
            LongSupplier deadline) {
        return attempt(attempts, () -> metrics(run.id, batchId, points));
    }

    @Override
    public Retrier.Outcome replay(Spool.Entry e, int attempts, LongSupplier deadline) {
        switch (e.kind()) {
            case Spool.KIND_METRICS:
                return attempt(attempts, () -> metrics(e.runId(), e.batchId(), e.points()));
            case Spool.KIND_MEDIA:
                return media(e.project(), e.runId(), e.batchId(), SpoolCodec.mediaItem(e), attempts, deadline);
            case Spool.KIND_RUN:
                return attempt(attempts, () -> event(e.project(), e.runId(), Event.CREATE, e.payload()));
            case Spool.KIND_STATUS:
                return attempt(attempts, () -> event(e.project(), e.runId(), Event.STATUS, e.payload()));
            case Spool.KIND_CONFIG:
                return attempt(attempts, () -> event(e.project(), e.runId(), Event.CONFIG, e.payload()));
            default:
                return attempt(attempts, () -> event(e.project(), e.runId(), Event.ARTIFACT, e.payload()));
        }
    }

    @Override
    public long lastStep(RunState run) {
        StoredRun r = runs.get(run.id);
        if (r == null) {
            return -1;
        }
        synchronized (this) {
            return r.points.stream().mapToLong(p -> p.step).max().orElse(-1);
        }
    }

    /** @return a copy of the points stored for a run, or empty */
    public synchronized List<Point> points(UUID runId) {
        StoredRun r = runs.get(runId);
        return r == null ? List.of() : new ArrayList<>(r.points);
    }

    /** @return a copy of the batch ids seen for a run, or empty */
    public synchronized List<String> batchAttempts(UUID runId) {
        StoredRun r = runs.get(runId);
        return r == null ? List.of() : new ArrayList<>(r.batchAttempts);
    }

    /** @return the config of a run, or empty */
    public Map<String, Object> config(UUID runId) {
        StoredRun r = runs.get(runId);
        return r == null ? Map.of() : new LinkedHashMap<>(r.config);
    }
}
