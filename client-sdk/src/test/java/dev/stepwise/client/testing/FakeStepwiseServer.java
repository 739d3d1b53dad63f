package dev.stepwise.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.stepwise.client.TrainLog;
import dev.stepwise.client.internal.Json;

/**
 * An in-process stand-in for the Stepwise service, enough of API.md for SDK tests: runs (create,
 * resume, patch), metrics with batchId deduplication like the real server, heartbeats, artifacts,
 * TrainLog export and import. It records every request so tests can assert zero loss, zero
 * duplication and what went over the wire; scripted faults make it fail on demand.
 */
public final class FakeStepwiseServer implements AutoCloseable {

    /** One stored metric point. */
    public record StoredPoint(String runId, String key, long step, double value, Long epoch, Long time,
                              String batchId) {
    }

    /** One stored run. */
    public static final class StoredRun {
        public final String id;
        public final String project;
        public volatile String name;
        public volatile String group;
        public volatile List<Object> tags = List.of();
        public volatile Map<String, Object> config = Map.of();
        public volatile String status = "RUNNING";
        public final AtomicInteger heartbeats = new AtomicInteger();
        public final List<Map<String, Object>> artifacts = Collections.synchronizedList(new ArrayList<>());

        StoredRun(String id, String project) {
            this.id = id;
            this.project = project;
        }
    }

    /** One scripted answer. */
    public record Fault(int status, String retryAfter, boolean storeFirst) {
    }

    /** One recorded request. */
    public record Request(String method, String path, Map<String, String> headers, int status) {
    }

    static {
        // The JDK HttpServer leaves Nagle on by default: 40 ms per response on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Pattern RUNS = Pattern.compile("/api/v1/projects/([^/]+)/runs");
    private static final Pattern RUN = Pattern.compile("/api/v1/projects/([^/]+)/runs/([^/]+)(/[a-z/]+)?");
    private static final Pattern IMPORT = Pattern.compile("/api/v1/projects/([^/]+)/import/trainlog");

    private final int port;
    private int boundPort;
    private HttpServer server;
    private ExecutorService executor;
    private final Map<String, StoredRun> runs = new ConcurrentHashMap<>();
    private final List<StoredPoint> points = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> batchIds = ConcurrentHashMap.newKeySet();
    private final List<String> receivedBatchIds = Collections.synchronizedList(new ArrayList<>());
    private static final String PENDING = "stepwise.pending-request";

    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Fault> metricFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fault> artifactFaults = new ConcurrentLinkedQueue<>();
    private volatile Fault alwaysFail;
    private volatile CountDownLatch metricsGate;

    private FakeStepwiseServer(int port) throws IOException {
        this.port = port;
        start();
    }

    /** @return a server on a free port */
    public static FakeStepwiseServer startOnFreePort() throws IOException {
        return new FakeStepwiseServer(0);
    }

    private void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", boundPort != 0 ? boundPort : port), 64);
        boundPort = server.getAddress().getPort();
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }


    /** @return the port */
    public int port() {
        return boundPort;
    }

    /** @return the base URL */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Stops accepting connections (clients see connection refused); state is kept. */
    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Starts again on the same port with the same state. */
    public void restart() throws IOException {
        start();
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------ fault scripting

    /** Queues answers for the next metric uploads. */
    public void failMetrics(Fault... faults) {
        metricFaults.addAll(List.of(faults));
    }

    /** Queues answers for the next artifact requests. */
    public void failArtifacts(Fault... faults) {
        artifactFaults.addAll(List.of(faults));
    }

    /** Makes every request fail with this fault until {@link #recover()} (null: none). */
    public void failEverything(int status) {
        alwaysFail = new Fault(status, null, false);
    }

    /** Ends {@link #failEverything(int)}. */
    public void recover() {
        alwaysFail = null;
    }

    /** Makes metric uploads wait until {@link #openGate()}. */
    public void closeGate() {
        metricsGate = new CountDownLatch(1);
    }

    /** Lets waiting metric uploads through. */
    public void openGate() {
        CountDownLatch g = metricsGate;
        metricsGate = null;
        if (g != null) {
            g.countDown();
        }
    }

    // ------------------------------------------------------------------ recorded state

    /** @return the stored points, in storage order */
    public List<StoredPoint> points() {
        synchronized (points) {
            return new ArrayList<>(points);
        }
    }

    /** @return the stored points of one run */
    public List<StoredPoint> points(String runId) {
        return points().stream().filter(p -> p.runId().equals(runId)).toList();
    }

    /** @return every batchId received, duplicates included */
    public List<String> receivedBatchIds() {
        synchronized (receivedBatchIds) {
            return new ArrayList<>(receivedBatchIds);
        }
    }

    /** @return every request received */
    public List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** @return the number of metric upload requests received */
    public long metricRequests() {
        return requests().stream().filter(r -> r.path().endsWith("/metrics") && r.method().equals("POST")).count();
    }

    /** @return the stored run, or null */
    public StoredRun run(String id) {
        return runs.get(id);
    }

    /** @return all stored runs */
    public Map<String, StoredRun> runs() {
        return runs;
    }

    // ------------------------------------------------------------------ handling

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        ex.setAttribute(PENDING, new Request(method, path, headers, 0));
        try {
            byte[] body = readBody(ex);
            route(ex, method, path, body);
        } catch (RuntimeException e) {
            send(ex, 400, problem(400, "Bad request", String.valueOf(e)), null);
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    @SuppressWarnings("unchecked")
    private int route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        Fault always = alwaysFail;
        if (always != null) {
            return send(ex, always.status(), problem(always.status(), "Unavailable", "scripted"), always.retryAfter());
        }
        Matcher m;
        if ((m = RUNS.matcher(path)).matches() && method.equals("POST")) {
            Map<String, Object> req = Json.readObject(body);
            String id = req.get("id") != null ? (String) req.get("id") : java.util.UUID.randomUUID().toString();
            StoredRun existing = runs.get(id);
            if (existing != null) {
                return send(ex, 200, runJson(existing), null);
            }
            StoredRun r = new StoredRun(id, m.group(1));
            r.name = (String) req.get("name");
            r.group = (String) req.get("group");
            r.tags = req.get("tags") != null ? (List<Object>) req.get("tags") : List.of();
            r.config = req.get("config") != null ? (Map<String, Object>) req.get("config") : Map.of();
            runs.put(id, r);
            return send(ex, 201, runJson(r), null);
        }
        if ((m = IMPORT.matcher(path)).matches() && method.equals("POST")) {
            TrainLog log = TrainLog.parse(body);
            String id = java.util.UUID.randomUUID().toString();
            StoredRun r = new StoredRun(id, m.group(1));
            r.name = log.note("run_name").orElse(log.title());
            r.group = log.note("group").orElse(null);
            r.status = "FINISHED";
            runs.put(id, r);
            for (TrainLog.Series s : log.series()) {
                for (int i = 0; i < s.size(); i++) {
                    if (!Double.isNaN(s.value(i))) {
                        points.add(new StoredPoint(id, s.name(), log.stepAt(i), s.value(i), null, null, null));
                    }
                }
            }
            return send(ex, 201, runJson(r), null);
        }
        if ((m = RUN.matcher(path)).matches()) {
            StoredRun r = runs.get(m.group(2));
            String sub = m.group(3) == null ? "" : m.group(3);
            if (r == null) {
                return send(ex, 404, problem(404, "Not Found", "no run " + m.group(2)), null);
            }
            switch (method + " " + sub) {
                case "PATCH ": {
                    Map<String, Object> req = Json.readObject(body);
                    if (req.get("status") != null) {
                        r.status = (String) req.get("status");
                    }
                    if (req.get("config") instanceof Map) {
                        Map<String, Object> merged = new java.util.LinkedHashMap<>(r.config);
                        merged.putAll((Map<String, Object>) req.get("config"));
                        r.config = merged;
                    }
                    return send(ex, 200, runJson(r), null);
                }
                case "POST /heartbeat":
                    r.heartbeats.incrementAndGet();
                    return send(ex, 204, null, null);
                case "POST /artifacts":
                    return artifact(ex, r, Json.readObject(body), body);
                case "POST /metrics":
                    return metrics(ex, r, Json.readObject(body));
                case "GET /metrics":
                    return send(ex, 200, metricsSummary(r), null);
                case "GET /export/trainlog":
                    return send(ex, 200, export(r), null);
                default:
                    break;
            }
        }
        return send(ex, 404, problem(404, "Not Found", method + " " + path), null);
    }

    /** Like the real server: a repeated artifact id with the same fields is answered 200 and stored once. */
    private int artifact(HttpExchange ex, StoredRun r, Map<String, Object> req, byte[] body) throws IOException {
        Fault fault = artifactFaults.poll();
        if (fault != null && !fault.storeFirst()) {
            return send(ex, fault.status(), problem(fault.status(), "Scripted", "scripted fault"), fault.retryAfter());
        }
        boolean repeat;
        synchronized (r.artifacts) {
            repeat = req.get("id") != null && r.artifacts.stream().anyMatch(a -> req.get("id").equals(a.get("id")));
            if (!repeat) {
                r.artifacts.add(req);
            }
        }
        if (fault != null) {
            return send(ex, fault.status(), problem(fault.status(), "Scripted", "stored then failed"), fault.retryAfter());
        }
        return send(ex, repeat ? 200 : 201, body, null);
    }

    private int metrics(HttpExchange ex, StoredRun r, Map<String, Object> req) throws IOException {
        CountDownLatch gate = metricsGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault fault = metricFaults.poll();
        String batchId = (String) req.get("batchId");
        receivedBatchIds.add(batchId);
        if (fault != null && !fault.storeFirst()) {
            return send(ex, fault.status(), problem(fault.status(), "Scripted", "scripted fault"), fault.retryAfter());
        }
        boolean duplicate;
        synchronized (points) {
            duplicate = batchId != null && !batchIds.add(r.id + "/" + batchId);
            if (!duplicate) {
                List<?> pts = (List<?>) req.get("points");
                for (Object o : pts) {
                    Map<?, ?> p = (Map<?, ?>) o;
                    points.add(new StoredPoint(r.id, (String) p.get("key"), ((Number) p.get("step")).longValue(),
                            Json.toDouble(p.get("value"), "value"),
                            p.get("epoch") == null ? null : ((Number) p.get("epoch")).longValue(),
                            p.get("time") == null ? null : ((Number) p.get("time")).longValue(), batchId));
                }
            }
        }
        if (fault != null) {
            // Stored, but the answer is lost: the client must retry with the same batchId.
            return send(ex, fault.status(), problem(fault.status(), "Scripted", "stored then failed"), fault.retryAfter());
        }
        int n = duplicate ? 0 : ((List<?>) req.get("points")).size();
        return send(ex, 200, ("{\"accepted\":" + n + ",\"duplicate\":" + duplicate + "}").getBytes(StandardCharsets.UTF_8),
                null);
    }

    private byte[] metricsSummary(StoredRun r) {
        Map<String, Long> last = new LinkedHashMap<>();
        for (StoredPoint p : points(r.id)) {
            last.merge(p.key(), p.step(), Math::max);
        }
        List<Object> metrics = new ArrayList<>();
        last.forEach((k, v) -> metrics.add(Map.of("key", k, "lastStep", v)));
        return Json.toBytes(Map.of("metrics", metrics));
    }

    private byte[] export(StoredRun r) {
        List<StoredPoint> pts = points(r.id);
        java.util.TreeSet<Long> steps = new java.util.TreeSet<>();
        Map<String, Map<Long, Double>> byKey = new LinkedHashMap<>();
        for (StoredPoint p : pts) {
            steps.add(p.step());
            byKey.computeIfAbsent(p.key(), k -> new LinkedHashMap<>()).put(p.step(), p.value());
        }
        TrainLog.Builder b = TrainLog.builder().title(r.name != null ? r.name : r.id)
                .steps(steps.stream().mapToLong(Long::longValue).toArray());
        byKey.forEach((k, vals) -> b.series(TrainLog.Series.create(k,
                steps.stream().mapToDouble(s -> vals.getOrDefault(s, Double.NaN)).toArray())));
        b.note("project=" + r.project).note("run_id=" + r.id);
        return b.build().toJson();
    }

    private static byte[] runJson(StoredRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id);
        m.put("project", r.project);
        m.put("name", r.name);
        m.put("group", r.group);
        m.put("tags", r.tags);
        m.put("config", r.config);
        m.put("status", r.status);
        m.put("createdAt", "2026-11-23T00:00:00Z");
        return Json.toBytes(m);
    }

    private static byte[] problem(int status, String title, String detail) {
        return Json.toBytes(Map.of("status", status, "title", title, "detail", detail));
    }

    private int send(HttpExchange ex, int status, byte[] body, String retryAfter) throws IOException {
        // Recorded before the answer leaves: a client that has its answer sees the request here.
        Request pending = (Request) ex.getAttribute(PENDING);
        requests.add(new Request(pending.method(), pending.path(), pending.headers(), status));
        if (retryAfter != null) {
            ex.getResponseHeaders().add("Retry-After", retryAfter);
        }
        if (body == null || status == 204) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
        ex.close();
        return status;
    }
}
