package dev.stepwise.server.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A pass-through HTTP proxy in front of the real service that records every request and, on
 * demand, answers metric uploads with scripted failures: before forwarding (the service never
 * sees the batch) or after forwarding (the service stored it but the answer is lost), so SDK
 * tests can exercise retries, {@code Retry-After} and exactly-once replay against the real
 * service and database.
 */
final class FaultInjectingProxy implements AutoCloseable {

    /** A scripted answer to one metric upload. */
    record Fault(int status, String retryAfter, boolean forwardFirst) {}

    /** One request the proxy received. */
    record Seen(String method, String path) {}

    static {
        // The JDK HttpServer leaves Nagle on by default: 40 ms per response on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Set<String> FORWARDED = Set.of("authorization", "content-type", "content-encoding", "accept");

    private final String target;
    private HttpServer server;
    private ExecutorService executor;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    /** The batch id of every metric upload, in arrival order, by run id. */
    private final java.util.Map<String, List<String>> batchIds = new java.util.concurrent.ConcurrentHashMap<>();

    FaultInjectingProxy(int targetPort) throws IOException {
        this.target = "http://127.0.0.1:" + targetPort;
        start();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Takes the service off the network: clients get connection refused until {@link #start()}. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Puts the service back on the same port. */
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        port = server.getAddress().getPort();
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    void failMetrics(Fault... scripted) {
        faults.addAll(List.of(scripted));
    }

    List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    /** The batch id of every metric upload for a run that reached the proxy, in order. */
    List<String> metricBatchIds(String runId) {
        List<String> ids = batchIds.getOrDefault(runId, List.of());
        synchronized (ids) {
            return new ArrayList<>(ids);
        }
    }

    private void recordBatchId(String path, List<String> encodings, byte[] body) {
        String[] parts = path.split("/");
        String runId = parts[parts.length - 2];
        try {
            byte[] json = encodings != null && encodings.contains("gzip")
                    ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes() : body;
            String batchId = dev.stepwise.server.support.Api.JSON.readTree(json).path("batchId").asString();
            batchIds.computeIfAbsent(runId, r -> Collections.synchronizedList(new ArrayList<>())).add(batchId);
        } catch (IOException | RuntimeException unreadable) {
            // not a metrics upload the SDK made; nothing to record
        }
    }

    long metricUploads() {
        return seen().stream().filter(s -> s.method().equals("POST") && s.path().endsWith("/metrics")).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        seen.add(new Seen(method, path));
        byte[] body = ex.getRequestBody().readAllBytes();
        boolean metrics = method.equals("POST") && path.endsWith("/metrics");
        if (metrics) {
            recordBatchId(path, ex.getRequestHeaders().get("Content-Encoding"), body);
        }
        Fault fault = metrics ? faults.poll() : null;
        if (fault != null && !fault.forwardFirst()) {
            reply(ex, fault.status(), fault.retryAfter(), "application/problem+json",
                    ("{\"status\":" + fault.status() + ",\"title\":\"Injected\",\"detail\":\"injected by the test proxy\"}")
                            .getBytes());
            return;
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, v) -> {
            if (FORWARDED.contains(k.toLowerCase())) {
                v.forEach(value -> rb.header(k, value));
            }
        });
        HttpResponse<byte[]> r;
        try {
            r = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 502, null, "text/plain", new byte[0]);
            return;
        } catch (IOException e) {
            reply(ex, 502, null, "text/plain", new byte[0]);
            return;
        }
        if (fault != null) {
            // The service stored the batch; the client only sees a failure and must retry it.
            reply(ex, fault.status(), fault.retryAfter(), "application/problem+json",
                    "{\"status\":503,\"title\":\"Injected\"}".getBytes());
            return;
        }
        reply(ex, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
    }

    private static void reply(HttpExchange ex, int status, String retryAfter, String contentType, byte[] body)
            throws IOException {
        if (retryAfter != null) {
            ex.getResponseHeaders().add("Retry-After", retryAfter);
        }
        if (status == 204 || body.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.getResponseHeaders().add("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Override
    public void close() {
        stop();
    }
}
